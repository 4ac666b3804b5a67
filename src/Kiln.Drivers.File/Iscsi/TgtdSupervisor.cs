using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Tools;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// Keeps a tgtd answering on one control port (<c>tgt_manage = auto</c>): uses one that already answers
/// (the system's, never started or stopped by Kiln), otherwise starts its own in the foreground as a child
/// (<c>tgtd -f -C PORT --iscsi portal=…</c>), restarts it with backoff when it dies, and stops it by its PID
/// when Kiln stops. tgtd keeps targets in memory only: <see cref="Started"/> tells the exporters to restore theirs.
/// </summary>
internal sealed class TgtdSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan BackoffInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(30);

    // Waiting for a process we started is wall-clock time, whatever clock the backend runs on.
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(50);
    private const int OutputLines = 20;

    private readonly string portal;
    private readonly TimeSpan checkInterval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Action<int>? restarted;
    private readonly string tgtdCommand;
    private readonly TgtAdmin admin;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> output = new();
    private readonly Lock sync = new();
    private Task? loop;
    private Process? child;

    public TgtdSupervisor(int controlPort, string portal, TimeSpan checkInterval, TimeProvider time, ILogger logger, Action<int>? restarted, string tgtdCommand = "tgtd", string tgtadmPath = "tgtadm")
    {
        ControlPort = controlPort;
        this.portal = portal;
        this.checkInterval = checkInterval > TimeSpan.Zero ? checkInterval : TgtSettings.DefaultCheckInterval;
        this.time = time;
        this.logger = logger;
        this.restarted = restarted;
        this.tgtdCommand = tgtdCommand;
        admin = new TgtAdmin(tgtadmPath, controlPort);
        Since = time.GetUtcNow();
    }

    /// <summary>Kiln's tgtd has (re)started with no targets: recorded exports must be restored now.</summary>
    public event Action? Started;

    public int ControlPort { get; }

    public TgtdState State { get; private set; } = TgtdState.Starting;

    /// <summary>The PID of Kiln's tgtd while it runs.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Restarts after Kiln's tgtd died.</summary>
    public int Restarts { get; private set; }

    public DateTimeOffset Since { get; private set; }

    /// <summary>
    /// Starts supervising (once) and waits until the first look decided who serves the control port: a
    /// tgtd answers, Kiln's own was started, or it could not be (the exports then fail as without tgtd).
    /// </summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        lock (sync)
        {
            loop ??= Task.Run(() => SuperviseAsync(stop.Token), CancellationToken.None);
        }

        return decided.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        if (child is { } process)
        {
            var pid = process.Id;
            try
            {
                // tgtd ignores SIGTERM; its targets live in memory and Kiln restores them at the next start.
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(StartDeadline, TimeProvider.System).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Already gone, or not reaped in time: its PID was killed either way.
            }

            process.Dispose();
            child = null;
            RemoveSocketFiles();
            TgtdLog.Stopped(logger, ControlPort, pid);
        }

        Set(TgtdState.Stopped);
        stop.Dispose();
    }

    internal static TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var delay = BackoffInitial * Math.Pow(2, exponent);
        return delay < BackoffMax ? delay : BackoffMax;
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (child is { } running)
                {
                    var startedAt = time.GetUtcNow();
                    await running.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

                    // A tgtd that ran a while died of something passing: start the backoff over.
                    failures = time.GetUtcNow() - startedAt >= BackoffMax ? 1 : failures + 1;
                    TgtdLog.Died(logger, ControlPort, running.Id, running.ExitCode, Backoff(failures), Output());
                    running.Dispose();
                    child = null;
                    ProcessId = null;
                    Set(TgtdState.Restarting);
                    Restarts++;
                    restarted?.Invoke(ControlPort);
                }

                if (failures > 0)
                {
                    await Task.Delay(Backoff(failures), time, cancellationToken).ConfigureAwait(false);
                }

                if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (State != TgtdState.External)
                    {
                        TgtdLog.External(logger, ControlPort);
                        Set(TgtdState.External);
                    }

                    failures = 0;
                    decided.TrySetResult();

                    // Someone else's tgtd may stop: then Kiln starts its own, after this wait.
                    await Task.Delay(checkInterval, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (ToolLocator.Find(tgtdCommand) is not { } tgtd)
                {
                    TgtdLog.NotInstalled(logger, ControlPort);
                    Set(TgtdState.NotInstalled);
                    decided.TrySetResult();
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (await TryStartAsync(tgtd, cancellationToken).ConfigureAwait(false) is { } reason)
                {
                    failures++;
                    TgtdLog.StartFailed(logger, ControlPort, portal, Backoff(failures), reason);
                    Set(TgtdState.Restarting);
                    decided.TrySetResult();
                    continue;
                }

                TgtdLog.Started(logger, ControlPort, portal, ProcessId ?? 0);
                Set(TgtdState.Running);
                decided.TrySetResult();
                RaiseStarted();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // One bad tick must not end supervision.
                TgtdLog.SuperviseFailed(logger, ControlPort, ex);
                failures++;
                decided.TrySetResult();
            }
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TgtdUnreachableException)
        {
            return false;
        }
        catch (DriverDependencyException)
        {
            // No tgtadm: nothing can talk to a tgtd, so none answers.
            return false;
        }
    }

    /// <summary>Starts tgtd and waits until it answers; the reason it did not, or null.</summary>
    private async Task<string?> TryStartAsync(string tgtd, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tgtd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", "-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--iscsi", $"portal={portal}" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            return $"{tgtd} cannot be run: {ex.Message}";
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < StartDeadline)
        {
            if (process.HasExited)
            {
                var reason = $"tgtd exited with code {process.ExitCode}: {Output()}";
                process.Dispose();
                return reason;
            }

            if (await AnswersAsync(cancellationToken).ConfigureAwait(false))
            {
                child = process;
                ProcessId = process.Id;
                return null;
            }

            await Task.Delay(StartPoll, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        process.Kill();
        process.Dispose();
        return $"tgtd did not answer on control port {ControlPort} within {StartDeadline.TotalSeconds} s: {Output()}";
    }

    private void RaiseStarted()
    {
        foreach (var subscriber in Started?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action)subscriber)();
            }
            catch (Exception ex)
            {
                TgtdLog.SubscriberFailed(logger, ex);
            }
        }
    }

    private void Set(TgtdState state)
    {
        if (State != state)
        {
            State = state;
            Since = time.GetUtcNow();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > OutputLines)
            {
                output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (output)
        {
            var text = new StringBuilder();
            foreach (var line in output)
            {
                text.Append(line).Append(' ');
            }

            return text.Length == 0 ? "(no output)" : text.ToString().Trim();
        }
    }

    // A killed tgtd cannot remove its control socket and lock file; these are the ones of the tgtd Kiln started.
    private void RemoveSocketFiles()
    {
        foreach (var suffix in new[] { string.Empty, ".lock" })
        {
            try
            {
                System.IO.File.Delete(string.Create(CultureInfo.InvariantCulture, $"/var/run/tgtd/socket.{ControlPort}{suffix}"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // tgtd's next start replaces them.
            }
        }
    }
}
