using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// Backend initialization's last step: resolves this backend's volumes and snapshots that an earlier
/// run left in a transitional status. Creating and extending end in an error status with a reason;
/// deleting is resumed. One resource that cannot be cleaned is marked with a reason and does not fail
/// the attempt; failing to read the database does (recoverable).
/// </summary>
public sealed partial class TransitionalResourceCleaner(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    VolumeManager manager,
    ILogger<TransitionalResourceCleaner> logger) : ITransitionalResourceCleaner
{
    public const string InterruptedReason = "interrupted by a service restart or a backend failure; cleaned up when the backend was initialized";

    public async Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken)
    {
        var backendSnapshots = await snapshots.ListByBackendAsync(host, cancellationToken).ConfigureAwait(false);
        var backendVolumes = await volumes.ListByBackendAsync(host, cancellationToken).ConfigureAwait(false);
        var byId = backendVolumes.ToDictionary(v => v.Id, StringComparer.Ordinal);
        var cleaned = 0;

        foreach (var snapshot in backendSnapshots.Where(s => s.Status.IsTransitional() && !manager.IsInFlight(s.Id)))
        {
            cleaned++;
            if (snapshot.Status == SnapshotStatus.Creating)
            {
                await snapshots.TryUpdateAsync(
                    snapshot.Id, [SnapshotStatus.Creating], s => s with { Status = SnapshotStatus.Error, ErrorReason = $"Snapshot creation {InterruptedReason}." },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DeleteSnapshotAsync(driver, snapshot, byId.GetValueOrDefault(snapshot.VolumeId), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var volume in backendVolumes.Where(v => v.Status.IsTransitional() && !manager.IsInFlight(v.Id)))
        {
            cleaned++;
            switch (volume.Status)
            {
                case VolumeStatus.Creating:
                    await volumes.TryUpdateAsync(
                        volume.Id, [VolumeStatus.Creating], v => v with { Status = VolumeStatus.Error, ErrorReason = $"Volume creation {InterruptedReason}." },
                        cancellationToken).ConfigureAwait(false);
                    break;
                case VolumeStatus.Extending:
                    await volumes.TryUpdateAsync(
                        volume.Id, [VolumeStatus.Extending], v => v with { Status = VolumeStatus.ErrorExtending, ErrorReason = $"Volume extension {InterruptedReason}; the size is unchanged." },
                        cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await DeleteVolumeAsync(driver, volume, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        if (cleaned > 0)
        {
            LogCleaned(logger, host, cleaned);
        }
    }

    private async Task DeleteVolumeAsync(IVolumeDriver driver, Volume volume, CancellationToken cancellationToken)
    {
        try
        {
            await driver.DeleteVolumeAsync(VolumeManager.ToRef(volume), cancellationToken).ConfigureAwait(false);
            await volumes.TryRemoveAsync(volume.Id, VolumeStatus.Deleting, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            await volumes.TryUpdateAsync(
                volume.Id, [VolumeStatus.Deleting], v => v with { Status = VolumeStatus.ErrorDeleting, ErrorReason = $"Resumed deletion failed: {ex.GetType().Name}: {ex.Message}" },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteSnapshotAsync(IVolumeDriver driver, Snapshot snapshot, Volume? volume, CancellationToken cancellationToken)
    {
        try
        {
            if (volume is not null)
            {
                await driver.DeleteSnapshotAsync(VolumeManager.ToRef(snapshot, volume), cancellationToken).ConfigureAwait(false);
            }

            await snapshots.TryRemoveAsync(snapshot.Id, SnapshotStatus.Deleting, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            await snapshots.TryUpdateAsync(
                snapshot.Id, [SnapshotStatus.Deleting], s => s with { Status = SnapshotStatus.ErrorDeleting, ErrorReason = $"Resumed deletion failed: {ex.GetType().Name}: {ex.Message}" },
                cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(500, LogLevel.Information, "Backend {Backend}: resolved {Count} volumes and snapshots left in transitional statuses")]
    private static partial void LogCleaned(ILogger logger, string backend, int count);
}
