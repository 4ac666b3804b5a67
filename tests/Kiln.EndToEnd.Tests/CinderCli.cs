using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Kiln.EndToEnd.Tests;

/// <summary>Runs the real OpenStack <c>cinder</c> client (python3-cinderclient) against Kiln, in noauth mode or with Keystone credentials.</summary>
internal sealed partial class CinderCli
{
    private readonly IReadOnlyList<string> connection;

    /// <summary>noauth: the client sends <c>admin:admin</c> to <paramref name="endpoint"/>.</summary>
    public CinderCli(Uri endpoint, string apiVersion)
        : this([
            "--os-auth-type", "noauth", "--os-user-id", "admin", "--os-project-id", "admin",
            "--os-endpoint", new Uri(endpoint, "/v3").ToString(), "--os-volume-api-version", apiVersion,
        ])
    {
    }

    private CinderCli(IReadOnlyList<string> connection) => this.connection = connection;

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The <c>| Property | Value |</c> table of a show/create command.</summary>
        public IReadOnlyDictionary<string, string> Properties =>
            Rows().Where(r => r.Length == 2 && r[0] != "Property").ToDictionary(r => r[0], r => r[1]);

        /// <summary>The rows of a list table, keyed by its header.</summary>
        public IReadOnlyList<IReadOnlyDictionary<string, string>> Table
        {
            get
            {
                var rows = Rows().ToList();
                if (rows.Count == 0)
                {
                    return [];
                }

                var header = rows[0];
                return [.. rows.Skip(1).Select(r => (IReadOnlyDictionary<string, string>)header.Zip(r).ToDictionary(p => p.First, p => p.Second))];
            }
        }

        private IEnumerable<string[]> Rows() =>
            Output.Split('\n')
                .Where(l => l.StartsWith('|'))
                .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray());
    }

    public static bool IsInstalled => File.Exists("/usr/bin/cinder");

    /// <summary>Keystone: the client logs in with the user's password and finds Kiln in the catalog (volumev3).</summary>
    public static CinderCli WithKeystone(Keystone.KeystoneUser user, string apiVersion) => new([
        "--os-auth-url", user.AuthUrl, "--os-username", user.Name, "--os-password", user.Password,
        "--os-project-name", user.ProjectName, "--os-user-domain-name", "Default", "--os-project-domain-name", "Default",
        "--os-volume-api-version", apiVersion,
    ]);

    public async Task<Result> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("cinder")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in connection.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        // The client must not pick up a real cloud's settings from the environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed; fails the test with the client's output otherwise.</summary>
    public async Task<Result> OkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        result.ExitCode.ShouldBe(0, $"cinder {string.Join(' ', arguments)}\n{result.Output}\n{result.Error}");
        return result;
    }

    /// <summary>Polls <c>cinder show</c> (or <c>snapshot-show</c>) until the status is <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(string showCommand, string id, string status)
    {
        var started = Stopwatch.GetTimestamp();
        string? last = null;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            last = (await OkAsync(showCommand, id)).Properties["status"];
            if (last == status)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"{id} did not become {status}; last {last}");
    }

    [GeneratedRegex("^[0-9a-f-]{36}$")]
    public static partial Regex Uuid();
}
