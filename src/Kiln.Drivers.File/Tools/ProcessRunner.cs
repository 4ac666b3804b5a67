using System.ComponentModel;
using System.Diagnostics;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tools;

/// <summary>What a finished process left: its exit code and everything it wrote.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs a tool with an argument list (never a shell string), with no input, captures its output, and
/// kills it when the call is cancelled.
/// </summary>
internal static class ProcessRunner
{
    private const int MaxErrorLength = 2000;

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion, whatever its exit code. Throws
    /// <see cref="FileNotFoundException"/> when it cannot be started, so callers can report a missing dependency.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Messages are read by operators and tgtadm's by a parser: keep the tools' English.
        info.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new FileNotFoundException($"{fileName} cannot be run: {ex.Message}", fileName, ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> and returns its output. A tool that cannot be started is a
    /// <see cref="DriverDependencyException"/>; a non-zero exit a recoverable <see cref="DriverException"/> carrying stderr.
    /// </summary>
    public static async Task<string> RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await RunAsync(fileName, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            throw new DriverDependencyException(ex.Message, ex);
        }

        if (!result.Succeeded)
        {
            throw new DriverException($"{Describe(fileName, arguments)} failed with exit code {result.ExitCode}: {Trim(result.StandardError, result.StandardOutput)}");
        }

        return result.StandardOutput;
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string Describe(string fileName, IReadOnlyList<string> arguments) =>
        $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";

    private static string Trim(string error, string output)
    {
        var text = (string.IsNullOrWhiteSpace(error) ? output : error).Trim();
        if (text.Length == 0)
        {
            return "(no output)";
        }

        return text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength), "…");
    }
}
