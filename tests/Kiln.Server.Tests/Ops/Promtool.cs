using System.Diagnostics;

namespace Kiln.Server.Tests.Ops;

/// <summary>Runs Prometheus's <c>promtool</c> (Debian package prometheus; eng/install-test-deps.sh installs it).</summary>
internal static class Promtool
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    /// <summary>Runs promtool with <paramref name="input"/> on its standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo("promtool")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("promtool is not installed: run eng/install-test-deps.sh (Debian package prometheus)", ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(input ?? string.Empty);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
