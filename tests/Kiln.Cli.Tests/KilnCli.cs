using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary>Runs the real <c>kiln</c> executable as a process, the way an operator or a script does.</summary>
internal static class KilnCli
{
    public static string KilnDll { get; } = typeof(KilnCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KilnDll").Value!;

    /// <summary>
    /// Runs <c>kiln args…</c> with stdout and stderr redirected (so never a terminal) and without the
    /// caller's KILN_* and OS_* variables (a developer's sourced openrc would turn on Keystone), plus <paramref name="environment"/>.
    /// </summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(KilnDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // COLUMNS too: a test that runs in a terminal must see the width a pipe gets.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("KILN", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OS_", StringComparison.OrdinalIgnoreCase) || k == "COLUMNS").ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kiln {string.Join(' ', args)} did not exit within 60 s");
        }

        return new CliResult(string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What one run of <c>kiln</c> did.</summary>
public sealed record CliResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Asserts the exit code, showing the whole run when it differs.</summary>
    public CliResult ShouldExitWith(int expected)
    {
        ExitCode.ShouldBe(expected, $"kiln {CommandLine}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }

    /// <summary>A failure: exactly one line on stderr, <c>kiln: …</c>, and no stack trace.</summary>
    public string ShouldFailWithOneLine(int expected)
    {
        ShouldExitWith(expected);
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, $"stderr of kiln {CommandLine}:\n{Stderr}");
        lines[0].ShouldStartWith("kiln: ");
        Stderr.ShouldNotContain("   at ");
        Stderr.ShouldNotContain("Unhandled exception");
        return lines[0];
    }

    /// <summary>Stdout parsed as the only thing on it: one JSON document.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Success in json mode: exit 0, nothing on stderr, and stdout is one JSON document.</summary>
    public JsonElement ShouldSucceedWithJson()
    {
        ShouldExitWith(0);
        Stderr.ShouldBeEmpty();
        return Json();
    }

    /// <summary>Success in table mode: exit 0, nothing on stderr, no colour escapes (stdout is not a terminal).</summary>
    public string ShouldSucceedWithTable()
    {
        ShouldExitWith(0);
        Stderr.ShouldBeEmpty();
        Stdout.ShouldNotContain("\u001b[");
        return Stdout;
    }
}
