using System.Threading.Channels;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;

namespace Kiln.Server.Services;

/// <summary>
/// Writes each local backend's lifecycle snapshot to its service record whenever it changes, off the
/// lifecycle loop (a slow database never slows a backend). Bursts are coalesced: only the newest
/// snapshot of each backend is written. A snapshot whose write fails (database full or gone) is kept
/// and written again every <c>report_interval</c> until it lands or a newer one replaces it: other
/// nodes read the stored record, and a backend that no longer changes (unrecoverable, gave_up) would
/// otherwise show them its old state for good.
/// </summary>
internal sealed partial class BackendStatePersister(
    BackendCatalog backends,
    DatabaseStartup startup,
    IServiceRepository repository,
    KilnConfiguration configuration,
    TimeProvider timeProvider,
    ILogger<BackendStatePersister> logger) : BackgroundService
{
    private readonly Channel<BackendSnapshot> changes = Channel.CreateUnbounded<BackendSnapshot>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The database start-up wrote every backend's first snapshot; the loops start after this
        // subscription, so every later change is queued here.
        foreach (var host in backends.Hosts)
        {
            host.Changed += (_, next) => changes.Writer.TryWrite(next);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Changes queue up until the database is ready; the newest of each backend is written then.
        if (!await startup.WaitUntilReadyAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var latest = new Dictionary<string, BackendSnapshot>(StringComparer.Ordinal);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await WaitForChangeAsync(retrying: latest.Count > 0, stoppingToken).ConfigureAwait(false))
            {
                while (changes.Reader.TryRead(out var snapshot))
                {
                    latest[snapshot.Host] = snapshot;
                }

                var written = await WriteAsync([.. latest.Values], failing, stoppingToken).ConfigureAwait(false);
                foreach (var host in written)
                {
                    latest.Remove(host);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Record the final states (stopped) so other nodes see this node's backends went away cleanly.
        while (changes.Reader.TryRead(out var snapshot))
        {
            latest[snapshot.Host] = snapshot;
        }

        await WriteAsync([.. latest.Values], failing, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Waits for a change; while some writes are pending, for at most <c>report_interval</c>. False at shutdown.</summary>
    private async Task<bool> WaitForChangeAsync(bool retrying, CancellationToken stoppingToken)
    {
        if (!retrying)
        {
            return await changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
        }

        using var retry = new CancellationTokenSource(configuration.ReportInterval, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(retry.Token, stoppingToken);
        try
        {
            return await changes.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>Writes the snapshots; returns the hosts whose snapshot is now stored.</summary>
    private async Task<IReadOnlyCollection<string>> WriteAsync(BackendSnapshot[] snapshots, HashSet<string> failing, CancellationToken cancellationToken)
    {
        if (snapshots.Length == 0 || await TryWriteAsync(snapshots, cancellationToken).ConfigureAwait(false) is null)
        {
            foreach (var snapshot in snapshots.Where(s => failing.Remove(s.Host)))
            {
                LogWriteRecovered(logger, snapshot.Host);
            }

            return [.. snapshots.Select(s => s.Host)];
        }

        // One transaction for the whole burst failed: write them one by one to find which one fails.
        var written = new List<string>();
        foreach (var snapshot in snapshots)
        {
            if (await TryWriteAsync([snapshot], cancellationToken).ConfigureAwait(false) is { } error)
            {
                // Once per outage, not at every retry.
                if (failing.Add(snapshot.Host))
                {
                    LogWriteFailed(logger, snapshot.Host, configuration.ReportInterval.TotalSeconds, error);
                }
            }
            else
            {
                written.Add(snapshot.Host);
                if (failing.Remove(snapshot.Host))
                {
                    LogWriteRecovered(logger, snapshot.Host);
                }
            }
        }

        return written;
    }

    // One transaction for all: a thousand backends failing together are one commit.
    private async Task<Exception?> TryWriteAsync(BackendSnapshot[] snapshots, CancellationToken cancellationToken)
    {
        try
        {
            await repository.SaveBackendSnapshotsAsync(configuration.StorageAvailabilityZone, snapshots, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    [LoggerMessage(110, LogLevel.Warning, "Backend {Backend}: writing the lifecycle snapshot to its service record failed; retrying every {RetrySeconds} s")]
    private static partial void LogWriteFailed(ILogger logger, string backend, double retrySeconds, Exception exception);

    [LoggerMessage(2000, LogLevel.Information, "Backend {Backend}: lifecycle snapshot written to its service record after earlier failures")]
    private static partial void LogWriteRecovered(ILogger logger, string backend);
}
