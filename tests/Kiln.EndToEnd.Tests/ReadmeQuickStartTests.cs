using System.Diagnostics;
using System.Runtime.Versioning;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kiln.Tests.Shared;

namespace Kiln.EndToEnd.Tests;

/// <summary>
/// The README's quick start pastes: its <c>```bash</c> blocks, taken from the file, run in order in one
/// shell against a real <c>kiln serve</c> on its embedded defaults, with the real <c>kiln</c>, <c>openstack</c>
/// and <c>cinder</c> clients. Only the port changes (8776 to the test server's). <c>```sh</c> blocks are
/// shown, not run (starting the server, installing the symlink, Keystone's variables).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class ReadmeQuickStartTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-readme-");

    public void Dispose() => dir.Delete(recursive: true);

    public static string RepositoryRoot { get; } = typeof(ReadmeQuickStartTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void Readme_TheTwoCommands_AreTheRunScriptAndBuildSh()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));
        var twoCommands = readme[readme.IndexOf("## The two commands", StringComparison.Ordinal)..readme.IndexOf("## Quick start", StringComparison.Ordinal)];

        ShellBlock().Matches(twoCommands).Select(m => m.Groups["code"].Value.Trim()).ShouldBe(["./kiln serve", "./build.sh"]);
        File.Exists(Path.Combine(RepositoryRoot, "kiln")).ShouldBeTrue();
    }

    [Fact]
    public async Task Readme_BashBlocksInOrder_RunWithoutAnErrorAgainstOneServer()
    {
        File.Exists("/usr/bin/openstack").ShouldBeTrue("python3-openstackclient must be installed (eng/install-test-deps.sh installs it)");
        CinderCli.IsInstalled.ShouldBeTrue("python3-cinderclient must be installed (eng/install-test-deps.sh installs it)");
        var blocks = RunnableBlocks();
        blocks.Count.ShouldBeGreaterThanOrEqualTo(4, "the kiln, openstack, cinder and curl blocks");

        await using var kiln = KilnProcess.Start(null, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);
        await WaitReadyAsync(address);
        await client.WaitForStateAsync($"{Environment.MachineName}@file", "ready", TimeSpan.FromSeconds(20));
        var script = Path.Combine(dir.FullName, "readme.sh");
        await File.WriteAllTextAsync(script, Script(blocks, address.Port), TestContext.Current.CancellationToken);

        var (exitCode, output, error) = await RunBashAsync(script, address);

        exitCode.ShouldBe(0, $"stderr:\n{Tail(error)}\nstdout:\n{Tail(output)}\nkiln serve:\n{Tail(kiln.Output)}");
        // What the blocks say they do, they did: the openstack block printed the new volume's id, the
        // kiln and cinder blocks left their volumes, restored from snapshots, and deleted the restores.
        Regex.IsMatch(output, "(?m)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").ShouldBeTrue(output);
        output.ShouldContain("ready");
        var volumes = await VolumesAsync(client);
        volumes.Keys.Order().ToList().ShouldBe(new List<string> { "first", "from-snap", "second" }, customMessage: string.Join(", ", volumes.Select(v => $"{v.Key}: {v.Value}")));
        volumes.Values.ShouldAllBe(v => v == "available 2");
    }

    /// <summary>
    /// Until /healthz/ready answers 200: the first start applies the database migrations, which on a busy
    /// machine takes longer than the clients' 10 s request timeout (requests wait for it).
    /// </summary>
    private static async Task WaitReadyAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);
                return response.IsSuccessStatusCode;
            },
            TimeSpan.FromMinutes(2),
            "the README's server never became ready",
            TestContext.Current.CancellationToken);
    }

    /// <summary>The contents of every <c>```bash</c> block, in the order of the file.</summary>
    private static List<string> RunnableBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));
        return [.. BashBlock().Matches(readme).Select(m => m.Groups["code"].Value)];
    }

    /// <summary>The blocks as one script that stops at the first failing command and names it.</summary>
    private static string Script(IEnumerable<string> blocks, int port) =>
        "set -eE -o pipefail\n"
        + "trap 'echo \"README command failed (exit $?): $BASH_COMMAND\" >&2' ERR\n"
        + string.Join('\n', blocks).Replace(":8776", $":{port}", StringComparison.Ordinal);

    private async Task<(int ExitCode, string Output, string Error)> RunBashAsync(string script, Uri address)
    {
        // `kiln` on the PATH is the build under test; the README's `./kiln --install` would link the Release build.
        var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin")).FullName;
        var shim = Path.Combine(bin, "kiln");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet '{KilnProcess.KilnDll}' \"$@\"\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal) || k.StartsWith("KILN", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["PATH"] = $"{bin}:{info.Environment["PATH"]}";
        // The kiln CLI's default is 127.0.0.1:8776, which the README does not spell out: point it at the test server.
        info.Environment["KILN_URL"] = address.ToString();
        // The clients' caches (cinderclient's completion cache) stay out of the real home.
        info.Environment["HOME"] = dir.FullName;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("HOME") ?? dir.FullName;

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the README's blocks did not finish within 5 min:\n{Tail(await output)}\n{Tail(await error)}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Name to "status size" of every volume, once none is in a transitional status.</summary>
    private static async Task<Dictionary<string, string>> VolumesAsync(KilnClient client)
    {
        var started = Stopwatch.GetTimestamp();
        var pauses = new Poll.Pauses();
        while (true)
        {
            var body = await client.Http.GetFromJsonAsync<JsonElement>("/v3/admin/volumes/detail", TestContext.Current.CancellationToken);
            var volumes = body.GetProperty("volumes").EnumerateArray()
                .ToDictionary(v => v.GetProperty("name").GetString()!, v => $"{v.GetProperty("status").GetString()} {v.GetProperty("size").GetInt32()}");
            // After 20 s the statuses are returned as they are: the caller's assertion names the stuck one.
            if (volumes.Values.All(v => !v.StartsWith("deleting", StringComparison.Ordinal) && !v.StartsWith("creating", StringComparison.Ordinal))
                || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                return volumes;
            }

            await pauses.NextAsync(TestContext.Current.CancellationToken);
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];

    [GeneratedRegex(@"^```bash\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"^```sh\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ShellBlock();
}
