using Kiln.Server.Configuration;
using Kiln.Server.Hosting;
using Kiln.Server.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Api;

/// <summary>The real Kiln application on a free loopback port, on a fake clock, with a temp kiln.conf.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly DirectoryInfo dir;
    private readonly WebApplication app;

    private TestServer(DirectoryInfo dir, WebApplication app, HttpClient client, FakeTimeProvider time)
    {
        this.dir = dir;
        this.app = app;
        Client = client;
        Time = time;
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Whether <see cref="VolumeApi"/> asks for Kiln's own fields (<c>X-Kiln-Extensions: true</c>).</summary>
    public bool KilnExtensions { get; set; }

    /// <summary>The <c>X-Auth-Token</c> that <see cref="VolumeApi"/> sends (<see cref="TestAuthenticator"/>): null calls as noauth's admin, <c>member</c> as an ordinary user.</summary>
    public string? Token { get; set; }

    public string Directory => dir.FullName;

    public T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts Kiln with <paramref name="backendSections"/> after [DEFAULT] (plus <paramref name="defaults"/>); the node is
    /// named <c>node</c>; $DIR is the temp directory; <paramref name="configureServices"/> replaces services. Returns once
    /// the database start-up is done, unless <paramref name="waitForDatabase"/> is false.
    /// </summary>
    public static async Task<TestServer> StartAsync(
        string enabledBackends,
        string backendSections,
        Action<string>? prepare = null,
        string defaults = "",
        Action<IServiceCollection>? configureServices = null,
        bool waitForDatabase = true,
        KilnRoles roles = KilnRoles.All)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("kiln-server-");
        prepare?.Invoke(dir.FullName);
        var path = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(path, $"""
            [DEFAULT]
            host = node
            state_path = {dir.FullName}/data
            osapi_volume_listen_port = 0
            enabled_backends = {enabledBackends}
            {defaults}

            {backendSections.Replace("$DIR", dir.FullName, StringComparison.Ordinal)}
            """);
        var configuration = KilnConfigurationLoader.Load(path, new Dictionary<string, string>());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var app = KilnApp.Build(configuration, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            services.Replace(ServiceDescriptor.Singleton<Kiln.Server.Identity.IRequestAuthenticator, TestAuthenticator>());
            configureServices?.Invoke(services);
        }, roles);
        var client = new HttpClient();
        var server = new TestServer(dir, app, client, time);
        await app.StartAsync();

        // Tests read and write the database directly; requests would wait for it by themselves.
        if (waitForDatabase)
        {
            await app.Services.GetRequiredService<DatabaseStartup>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        dir.Delete(recursive: true);
    }
}
