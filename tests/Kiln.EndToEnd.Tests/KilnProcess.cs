using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Kiln.EndToEnd.Tests;

/// <summary>A real <c>kiln serve</c> process on a free loopback port, stopped with SIGTERM.</summary>
internal sealed partial class KilnProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KilnProcess(Process process)
    {
        this.process = process;
        StartedAt = Stopwatch.GetTimestamp();
    }

    public static string KilnDll { get; } = typeof(KilnProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KilnDll").Value!;

    /// <summary>Stopwatch timestamp taken right after the process was started.</summary>
    public long StartedAt { get; }

    public Uri BaseAddress => listening.Task.IsCompletedSuccessfully ? listening.Task.Result : throw new InvalidOperationException("not listening yet");

    public string Output => string.Join('\n', output);

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>The PID of the kiln process (the parent of any process Kiln starts).</summary>
    public int ProcessId => process.Id;

    public static KilnProcess Start(
        string? configPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(KilnDll);
        info.ArgumentList.Add("serve");
        if (configPath is not null)
        {
            info.ArgumentList.Add("--config");
            info.ArgumentList.Add(configPath);
        }

        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["KILN__DEFAULT__osapi_volume_listen_port"] = "0";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var kiln = new KilnProcess(process);
        process.OutputDataReceived += (_, e) => kiln.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => kiln.OnLine(e.Data);
        process.Exited += (_, _) => kiln.listening.TrySetException(new InvalidOperationException($"kiln exited early:\n{kiln.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kiln;
    }

    /// <summary>Waits for the start-up line that names the listening address.</summary>
    public async Task<Uri> WaitListeningAsync(TimeSpan timeout) => await listening.Task.WaitAsync(timeout);

    /// <summary>Waits for the process to exit by itself.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>Sends SIGTERM and waits for the exit; returns how long the process took to stop.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return TimeSpan.Zero;
        }

        var sent = Stopwatch.GetTimestamp();
        _ = Kill(process.Id, 15);
        await process.WaitForExitAsync().WaitAsync(timeout);
        return Stopwatch.GetElapsedTime(sent);
    }

    /// <summary>Sends SIGHUP (Kiln reads kiln.conf again).</summary>
    public void Hangup() => _ = Kill(process.Id, 1);

    /// <summary>SIGKILL: the process dies mid-request, as in a crash.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Kiln API listening on (http://[^\s,;]+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
