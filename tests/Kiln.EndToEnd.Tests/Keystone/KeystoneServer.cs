using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>
/// A throwaway Keystone on 127.0.0.1, run by the project's own eng/keystone/start.sh in a directory of
/// its own and stopped by eng/keystone/stop.sh, which signals the PID start.sh recorded there.
/// </summary>
internal sealed class KeystoneServer : IDisposable
{
    private static readonly string Scripts = Path.Combine(
        typeof(KeystoneServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "eng", "keystone");

    // The first start on a new machine installs keystone and python3-gunicorn (~95 s).
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly IReadOnlyDictionary<string, string> env;

    private KeystoneServer(string directory, IReadOnlyDictionary<string, string> env)
    {
        Directory = directory;
        this.env = env;
    }

    public string Directory { get; }

    /// <summary>OS_AUTH_URL: <c>http://127.0.0.1:PORT/v3</c>.</summary>
    public string AuthUrl => env["OS_AUTH_URL"];

    public int Port => int.Parse(env["KEYSTONE_PORT"], System.Globalization.CultureInfo.InvariantCulture);

    public string AdminPassword => env["OS_PASSWORD"];

    /// <summary>start.sh DIR: a new Keystone with a free port, the admin user and project (bootstrap).</summary>
    public static async Task<KeystoneServer> StartAsync(string directory)
    {
        (await RunScriptAsync("start.sh", directory)).ShouldSucceed();
        return new KeystoneServer(directory, ReadEnvFile(Path.Combine(directory, "env")));
    }

    /// <summary>start.sh DIR again after <see cref="StopAsync"/>: the same port, database and keys, so earlier tokens stay valid.</summary>
    public async Task StartAgainAsync() => (await RunScriptAsync("start.sh", Directory)).ShouldSucceed();

    /// <summary>stop.sh DIR: ends this Keystone by its PID; harmless when it is not running.</summary>
    public async Task StopAsync() => (await RunScriptAsync("stop.sh", Directory)).ShouldSucceed();

    /// <summary>
    /// register-kiln.sh: Kiln's service user (its name, password and project, from kiln-service.env) and
    /// the volumev3 catalog entries at <paramref name="kilnUrl"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> RegisterKilnAsync(Uri kilnUrl)
    {
        (await RunScriptAsync("register-kiln.sh", Directory, kilnUrl.GetLeftPart(UriPartial.Authority))).ShouldSucceed();
        return ReadEnvFile(Path.Combine(Directory, "kiln-service.env"));
    }

    /// <summary>POST /v3/auth/tokens with the password method, scoped to the project by name.</summary>
    public async Task<IssuedToken> IssueTokenAsync(string name, string password, string project)
    {
        var request = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name, domain = new { name = "Default" }, password } } },
                scope = new { project = new { name = project, domain = new { name = "Default" } } },
            },
        };
        using var response = await http.PostAsJsonAsync($"{AuthUrl}/auth/tokens", request);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, $"Keystone refused a token to {name} in {project}: {body}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token");
        return new IssuedToken(
            response.Headers.GetValues("X-Subject-Token").Single(),
            token.GetProperty("user").GetProperty("id").GetString()!,
            token.GetProperty("project").GetProperty("id").GetString()!);
    }

    /// <summary>A user who can log in, with the ids Keystone gave the user and the project.</summary>
    public async Task<KeystoneUser> UserAsync(string name, string password, string project)
    {
        var token = await IssueTokenAsync(name, password, project);
        return new KeystoneUser(AuthUrl, name, password, project, token.UserId, token.ProjectId);
    }

    public void Dispose() => http.Dispose();

    /// <summary>DIR/env and DIR/kiln-service.env: KEY=VALUE lines, no quotes.</summary>
    private static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static Task<CommandResult> RunScriptAsync(string script, params string[] arguments) =>
        ExternalCommand.RunAsync(Path.Combine(Scripts, script), arguments, timeout: ScriptTimeout);
}
