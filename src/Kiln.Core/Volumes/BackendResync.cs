using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// Backend initialization's step after the clean-up, as cinder-volume's init_host does it once the driver is set up:
/// <c>update_provider_info</c> with all of the backend's volumes and snapshots (the <c>provider_id</c>s it returns are
/// stored: a volume's always, a snapshot's only where it has none, as Cinder's <c>_sync_provider_info</c>), then
/// <c>ensure_export</c> of each <c>in-use</c> volume with its stored provider fields (the model update is stored). It runs
/// at start-up and at every re-initialization: a driver whose storage came back after a failure is exactly the one
/// whose exports may be gone.
/// </summary>
/// <remarks>
/// Failures follow init_host and DESIGN §3: a volume whose re-export fails is set to <c>error</c> if it is still
/// <c>in-use</c> (a conditional write), with a log line naming it, and the attempt goes on; <c>update_provider_info</c>
/// failing fails the attempt (in cinder-volume the exception leaves init_host and the backend's service does not start).
/// A re-export that overran <c>driver_operation_timeout</c> or whose driver process died fails the attempt after
/// setting that volume to error: the driver instance is gone, and the next attempt's fresh one re-exports the rest.
/// </remarks>
public sealed partial class BackendResync(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    VolumeManager manager,
    TimeProvider timeProvider,
    ILogger<BackendResync> logger)
{
    // A write that loses to a concurrent status change is read again and retried, as the export updates of attaches are.
    private const int WriteRounds = 5;

    /// <summary>Runs the step for the backend <paramref name="host"/> (<c>host@backend</c>) with its freshly set-up driver.</summary>
    public async Task RunAsync(string host, IVolumeDriver driver, TimeSpan operationTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var backendVolumes = await volumes.ListByBackendAsync(host, cancellationToken).ConfigureAwait(false);
        var backendSnapshots = await snapshots.ListByBackendAsync(host, cancellationToken).ConfigureAwait(false);
        var providerIds = await SyncProviderInfoAsync(host, driver, backendVolumes, backendSnapshots, operationTimeout, cancellationToken).ConfigureAwait(false);

        var restored = 0;
        var failed = 0;
        foreach (var volume in backendVolumes.Where(v => v.Status == VolumeStatus.InUse && !manager.IsInFlight(v.Id)))
        {
            // The provider_id update_provider_info just returned, as Cinder's driver sees it on the same volume object.
            var target = VolumeManager.ToRef(volume) with { ProviderId = providerIds.GetValueOrDefault(volume.Id) ?? volume.ProviderId };
            VolumeUpdate update;
            try
            {
                update = await BoundedCall.RunAsync(
                    $"ensure_export of {volume.Id}", ct => driver.EnsureExportAsync(target, ct), operationTimeout, timeProvider,
                    ex => LogAbandoned(logger, host, volume.Id, ex), cancellationToken, LifecycleOptions.DriverOperationTimeoutOption).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                failed++;
                LogReexportFailed(logger, host, volume.Id, ex);
                var reason = $"The volume's export could not be restored when backend {host} was initialized: {ex.GetType().Name}: {ex.Message}";
                await volumes.TryUpdateAsync(
                    volume.Id, [VolumeStatus.InUse], v => v with { Status = VolumeStatus.Error, ErrorReason = reason }, cancellationToken).ConfigureAwait(false);
                if (ex is DriverTimeoutException or DriverException { DriverGone: true })
                {
                    throw;
                }

                continue;
            }

            restored++;
            await StoreVolumeAsync(volume.Id, update, cancellationToken).ConfigureAwait(false);
        }

        if (restored + failed > 0)
        {
            LogReexported(logger, host, restored, failed);
        }
    }

    // One call with every volume and snapshot of the backend; its failure is the attempt's, as in init_host.
    private async Task<IReadOnlyDictionary<string, string>> SyncProviderInfoAsync(
        string host, IVolumeDriver driver, IReadOnlyList<Volume> backendVolumes, IReadOnlyList<Snapshot> backendSnapshots, TimeSpan operationTimeout, CancellationToken cancellationToken)
    {
        var byId = backendVolumes.ToDictionary(v => v.Id, StringComparer.Ordinal);
        var volumeRefs = backendVolumes.Select(VolumeManager.ToRef).ToList();
        var snapshotRefs = backendSnapshots.Where(s => byId.ContainsKey(s.VolumeId)).Select(s => VolumeManager.ToRef(s, byId[s.VolumeId])).ToList();
        ProviderIdUpdates updates;
        try
        {
            updates = await BoundedCall.RunAsync(
                "update_provider_info", ct => driver.UpdateProviderInfoAsync(volumeRefs, snapshotRefs, ct), operationTimeout, timeProvider,
                ex => LogAbandoned(logger, host, "update_provider_info", ex), cancellationToken, LifecycleOptions.DriverOperationTimeoutOption).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            // A driver (or driver host) without the call: nothing to sync, as Cinder's base driver returns (None, None).
            return new Dictionary<string, string>();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            LogProviderInfoFailed(logger, host, ex);
            throw;
        }

        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, providerId) in updates.Volumes)
        {
            if (byId.ContainsKey(id) && await StoreVolumeAsync(id, new VolumeUpdate { ProviderId = providerId }, cancellationToken).ConfigureAwait(false))
            {
                stored[id] = providerId;
            }
        }

        var snapshotsStored = 0;
        foreach (var snapshot in backendSnapshots.Where(s => s.ProviderId is null && updates.Snapshots.ContainsKey(s.Id)))
        {
            if (await StoreSnapshotIdAsync(snapshot.Id, updates.Snapshots[snapshot.Id], cancellationToken).ConfigureAwait(false))
            {
                snapshotsStored++;
            }
        }

        if (stored.Count + snapshotsStored > 0)
        {
            LogProviderIdsStored(logger, host, stored.Count, snapshotsStored);
        }

        return stored;
    }

    // The fields the update sets, whatever the volume's status (Cinder's volume_update is unconditional). True once stored.
    private async Task<bool> StoreVolumeAsync(string id, VolumeUpdate update, CancellationToken cancellationToken)
    {
        if (update.IsEmpty)
        {
            return false;
        }

        for (var round = 0; round < WriteRounds; round++)
        {
            var current = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return false;
            }

            if (VolumeManager.Stored(current, update) == current
                || await volumes.TryUpdateAsync(current, v => VolumeManager.Stored(v, update), cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        LogUpdateLost(logger, id, WriteRounds);
        return false;
    }

    // Only a snapshot that has no provider_id gets one, as in Cinder's _sync_provider_info.
    private async Task<bool> StoreSnapshotIdAsync(string id, string providerId, CancellationToken cancellationToken)
    {
        for (var round = 0; round < WriteRounds; round++)
        {
            var current = await snapshots.FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null || current.ProviderId is not null)
            {
                return false;
            }

            if (await snapshots.TryUpdateAsync(id, [current.Status], s => s.ProviderId is null ? s with { ProviderId = providerId } : s, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }
        }

        LogUpdateLost(logger, id, WriteRounds);
        return false;
    }

    [LoggerMessage(3080, LogLevel.Information, "Backend {Backend}: update_provider_info set the provider_id of {Volumes} volumes and {Snapshots} snapshots")]
    private static partial void LogProviderIdsStored(ILogger logger, string backend, int volumes, int snapshots);

    [LoggerMessage(3081, LogLevel.Error, "Backend {Backend}: update_provider_info failed; the initialization attempt fails, as cinder-volume's init_host does")]
    private static partial void LogProviderInfoFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(3082, LogLevel.Error, "Backend {Backend}: failed to re-export in-use volume {Id}; it is set to error, as cinder-volume's init_host sets it")]
    private static partial void LogReexportFailed(ILogger logger, string backend, string id, Exception exception);

    [LoggerMessage(3083, LogLevel.Information, "Backend {Backend}: re-exported {Restored} in-use volumes at initialization ({Failed} failed and set to error)")]
    private static partial void LogReexported(ILogger logger, string backend, int restored, int failed);

    [LoggerMessage(3084, LogLevel.Warning, "{Id}: the provider fields from the driver were not saved: it changed under each of {Rounds} writes")]
    private static partial void LogUpdateLost(ILogger logger, string id, int rounds);

    [LoggerMessage(3085, LogLevel.Warning, "Backend {Backend}: {What} failed after it was abandoned at its timeout")]
    private static partial void LogAbandoned(ILogger logger, string backend, string what, Exception exception);
}
