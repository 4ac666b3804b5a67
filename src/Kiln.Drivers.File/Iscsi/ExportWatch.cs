using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// Notices a tgtd that lost its targets under a running Kiln and restores them. tgtd keeps targets in
/// memory only, so a restart (by systemd, an operator, a crash, or Kiln's own supervisor) empties it
/// without Kiln being told. The watch asks tgtd for its targets every <c>tgt_check_interval</c>
/// (<c>tgtadm --op show</c>: about 9 ms of CPU with 50 targets) and compares them with the records; Kiln's own tgtd
/// also wakes it the moment it is restarted. Comparing targets rather than tgtd's PID also catches a
/// target deleted or changed outside Kiln, and works for a system tgtd whose PID Kiln does not know.
/// </summary>
internal sealed class ExportWatch(TgtExporter exporter, TimeSpan interval, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? loop;

    /// <summary>Starts the loop once; with <c>tgt_check_interval = 0</c> only Kiln's tgtd restarts wake it.</summary>
    public void Start()
    {
        if (loop is not null || stop.IsCancellationRequested)
        {
            return;
        }

        if (exporter.Daemon is { } daemon)
        {
            daemon.Started += Wake;
        }

        loop = Task.Run(() => RunAsync(stop.Token), CancellationToken.None);
    }

    public void Wake() => Interlocked.Exchange(ref wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        if (exporter.Daemon is { } daemon)
        {
            daemon.Started -= Wake;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var woken = Volatile.Read(ref wake).Task;
                var delay = Task.Delay(interval > TimeSpan.Zero ? interval : Timeout.InfiniteTimeSpan, time, tick.Token);
                await Task.WhenAny(delay, woken).ConfigureAwait(false);
                await tick.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await exporter.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // One failed check (tgtadm refused, state file unreadable) must not end the watch.
                TgtdLog.CheckFailed(logger, exporter.Backend, ex);
            }
        }
    }
}
