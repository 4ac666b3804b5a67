using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>
/// One real Keystone and one <c>kiln serve</c> with <c>auth_strategy = keystone</c> and a fault backend,
/// shared by the tests of <see cref="KeystoneCloudGroup"/>, everything in one temporary directory.
/// Keystone has Kiln registered as register-kiln.sh registers it, and projects demo-a and demo-b with
/// a member each and a reader in demo-a. Both processes are stopped by their PIDs at the end.
/// </summary>
public sealed class KeystoneCloud : IAsyncLifetime
{
    /// <summary>Kiln's <c>host</c>: its backend is <c>ks-node@fault</c>.</summary>
    internal const string Host = "ks-node";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-keystone-");
    private KeystoneServer? keystone;
    private KilnProcess? kiln;

    internal KeystoneServer Keystone => keystone ?? throw new InvalidOperationException("not started");

    internal KilnProcess Kiln => kiln ?? throw new InvalidOperationException("not started");

    /// <summary>Kiln's root URL, as registered in Keystone's catalog.</summary>
    internal Uri KilnUrl { get; private set; } = null!;

    /// <summary>Keystone's bootstrap admin, in project admin (role admin).</summary>
    internal KeystoneUser Admin { get; private set; } = null!;

    /// <summary>Role member in demo-a.</summary>
    internal KeystoneUser MemberA { get; private set; } = null!;

    /// <summary>Role member in demo-b.</summary>
    internal KeystoneUser MemberB { get; private set; } = null!;

    /// <summary>Only role reader, in demo-a.</summary>
    internal KeystoneUser ReaderA { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            keystone = await KeystoneServer.StartAsync(Path.Combine(dir.FullName, "keystone"));
            Admin = await keystone.UserAsync("admin", keystone.AdminPassword, "admin");

            // Kiln's port goes into the catalog before Kiln runs (as eng/conformance.sh does it).
            KilnUrl = new Uri($"http://127.0.0.1:{FreePort()}");
            var passwords = new[] { "member-a", "member-b", "reader-a" }.ToDictionary(n => n, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            var register = keystone.RegisterKilnAsync(KilnUrl);
            var users = CreateProjectsAndUsersAsync(passwords);

            // Both end before anything else, a failure included: cleanup must not stop Keystone under either.
            await Task.WhenAll(register, users);
            var service = await register;

            MemberA = await keystone.UserAsync("member-a", passwords["member-a"], "demo-a");
            MemberB = await keystone.UserAsync("member-b", passwords["member-b"], "demo-b");
            ReaderA = await keystone.UserAsync("reader-a", passwords["reader-a"], "demo-a");

            await StartKilnAsync(service);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client of Kiln that sends <paramref name="token"/> (when given) as X-Auth-Token.</summary>
    internal HttpClient Client(IssuedToken? token = null) => Client(token?.Id);

    internal HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = KilnUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("X-Auth-Token", token);
        }

        return http;
    }

    /// <summary>A fresh token of <paramref name="user"/>, never yet shown to Kiln.</summary>
    internal Task<IssuedToken> TokenAsync(KeystoneUser user) => Keystone.IssueTokenAsync(user.Name, user.Password, user.ProjectName);

    public async ValueTask DisposeAsync()
    {
        if (kiln is not null)
        {
            await kiln.TerminateAsync(TimeSpan.FromSeconds(30));
            await kiln.DisposeAsync();
            kiln = null;
        }

        if (keystone is not null)
        {
            await keystone.StopAsync();
            keystone.Dispose();
            keystone = null;
        }

        // Also called after a failed start, and maybe again by xunit then.
        if (Directory.Exists(dir.FullName))
        {
            dir.Delete(recursive: true);
        }
    }

    private async Task CreateProjectsAndUsersAsync(Dictionary<string, string> passwords)
    {
        string[] commands =
        [
            "project create --domain Default -f value -c id demo-a",
            "project create --domain Default -f value -c id demo-b",
            .. new[] { ("member-a", "demo-a", "member"), ("member-b", "demo-b", "member"), ("reader-a", "demo-a", "reader") }.SelectMany(u => new[]
            {
                $"user create --domain Default --password {passwords[u.Item1]} -f value -c id {u.Item1}",
                $"role add --project {u.Item2} --project-domain Default --user {u.Item1} --user-domain Default {u.Item3}",
            }),
        ];
        var session = await OpenStackCli.RunSessionAsync(Admin, commands);

        // One id per create: the session goes on after a failed command, so a missing id is the sign.
        session.ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(5, session.ToString());
    }

    private async Task StartKilnAsync(IReadOnlyDictionary<string, string> service)
    {
        var config = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(config, $"""
            [DEFAULT]
            auth_strategy = keystone
            host = {Host}
            state_path = {dir.FullName}/kiln-data
            osapi_volume_listen = 127.0.0.1
            enabled_backends = fault
            # The tests share the projects and keep their volumes: more than Cinder's default 10 in demo-a.
            quota_volumes = 50

            [fault]
            volume_driver = fault
            volume_backend_name = fault

            [keystone_authtoken]
            www_authenticate_uri = {Keystone.AuthUrl}
            auth_url = {Keystone.AuthUrl}
            auth_type = password
            username = {service["KILN_KS_USERNAME"]}
            password = {service["KILN_KS_PASSWORD"]}
            project_name = {service["KILN_KS_PROJECT"]}
            user_domain_name = Default
            project_domain_name = Default
            """);

        // KilnProcess asks for port 0 through this variable; the catalog names this port instead.
        kiln = KilnProcess.Start(config, dir.FullName, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__osapi_volume_listen_port"] = KilnUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await kiln.WaitListeningAsync(TimeSpan.FromSeconds(60));

        // Ready (no token needed): the database is open and the fault backend is ready.
        using var http = Client();
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            using var ready = await http.GetAsync("/healthz/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Kiln did not become ready: {ready.StatusCode}\n{kiln.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The tests that share one <see cref="KeystoneCloud"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class KeystoneCloudGroup : ICollectionFixture<KeystoneCloud>
{
    public const string Name = "Keystone cloud";
}
