using System.ComponentModel;
using System.Diagnostics;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tools;

/// <summary>
/// Runs a tool with an argument list (never a shell string), captures its output, and kills it when
/// the call is cancelled. A non-zero exit is a recoverable <see cref="DriverException"/> carrying stderr.
/// </summary>
internal static class ProcessRunner
{
    private const int MaxErrorLength = 2000;

    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Messages are parsed by nobody but read by operators: keep the tools' English.
        info.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new DriverDependencyException($"{fileName} cannot be run: {ex.Message}", ex);
        }

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

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new DriverException($"{Describe(fileName, arguments)} failed with exit code {process.ExitCode}: {Trim(error, output)}");
        }

        return output;
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
