using System.Threading.Channels;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;

namespace Kiln.Server.Services;

/// <summary>
/// Writes each local backend's lifecycle snapshot to its service record whenever it changes, off the
/// lifecycle loop (a slow database never slows a backend). Bursts are coalesced: only the newest
/// snapshot of each backend is written.
/// </summary>
internal sealed partial class BackendStatePersister(
    BackendCatalog backends,
    DatabaseStartup startup,
    IServiceRepository repository,
    KilnConfiguration configuration,
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
        try
        {
            while (await changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (changes.Reader.TryRead(out var snapshot))
                {
                    latest[snapshot.Host] = snapshot;
                }

                await WriteAsync([.. latest.Values], stoppingToken).ConfigureAwait(false);
                latest.Clear();
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

        await WriteAsync([.. latest.Values], CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WriteAsync(BackendSnapshot[] snapshots, CancellationToken cancellationToken)
    {
        if (snapshots.Length == 0 || await TryWriteAsync(snapshots, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        // One transaction for the whole burst failed: write them one by one to find which one fails.
        foreach (var snapshot in snapshots)
        {
            if (await TryWriteAsync([snapshot], cancellationToken).ConfigureAwait(false) is { } error)
            {
                LogWriteFailed(logger, snapshot.Host, error);
            }
        }
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

    [LoggerMessage(110, LogLevel.Warning, "Backend {Backend}: writing the lifecycle snapshot to its service record failed")]
    private static partial void LogWriteFailed(ILogger logger, string backend, Exception exception);
}
