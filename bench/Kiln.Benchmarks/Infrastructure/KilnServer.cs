using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>A real <c>kiln serve</c> on a free loopback port; stopped by its PID (SIGTERM, then SIGKILL).</summary>
internal sealed partial class KilnServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KilnServer(Process process) => this.process = process;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; private set; }

    /// <summary>Stopwatch timestamp of the "Kiln API listening on" line.</summary>
    public long ListeningAt { get; private set; }

    public int Pid => process.Id;

    public string Output => string.Join('\n', output);

    public static KilnServer Start(string kilnDll, string configPath, string workingDirectory, int port = 0)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(kilnDll);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        info.Environment["KILN__DEFAULT__osapi_volume_listen"] = "127.0.0.1";
        info.Environment["KILN__DEFAULT__osapi_volume_listen_port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new KilnServer(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => server.listening.TrySetException(new InvalidOperationException($"kiln exited early:\n{server.Output}"));
        server.StartedAt = Clock.Now();
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>A loopback port that was free a moment ago (bound to port 0, then released).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<Uri> WaitListeningAsync(TimeSpan timeout) => await listening.Task.WaitAsync(timeout);

    /// <summary>SIGTERM and a bounded wait; SIGKILL if it does not stop.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, 15);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Running.TryRemove(process.Id, out _);
        process.Dispose();
    }

    /// <summary>Kills, by PID, every kiln this tool started and has not stopped yet (Ctrl+C, SIGTERM).</summary>
    public static void KillAll()
    {
        foreach (var (pid, process) in Running)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            Running.TryRemove(pid, out _);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        // Keep the tail only: 1,000 backends log a lot, and only failures are printed.
        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            ListeningAt = Clock.Now();
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Kiln API listening on (http://[^\s,;]+)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
