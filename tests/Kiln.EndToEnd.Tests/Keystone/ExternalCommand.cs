using System.Diagnostics;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>What one run of an external program printed, and how it exited.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Asserts exit code 0, showing the whole run otherwise.</summary>
    public CommandResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, ToString());
        return this;
    }

    public override string ToString() => $"{CommandLine}\nexit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs a program (a script of eng/keystone, openstack, kiln) without the caller's OS_* and KILN*
/// variables, so a developer's sourced openrc never reaches it, and with a time limit.
/// </summary>
internal static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys
            .Where(k => k.StartsWith("OS_", StringComparison.Ordinal) || k.StartsWith("KILN", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        // Arguments may hold throwaway passwords; they are test data, shown to explain a failure.
        var commandLine = string.Join(' ', info.ArgumentList.Prepend(fileName));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(standardInput ?? "");
        process.StandardInput.Close();

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not exit within {limit.TotalSeconds} s");
        }

        return new CommandResult(commandLine, process.ExitCode, await stdout, await stderr);
    }
}
