using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// Backend initialization's last step: resolves this backend's volumes and snapshots that an earlier
/// run left in a transitional status. Creating is resumed from its message when the bus keeps messages
/// across a restart (<see cref="IInterruptedCreates"/>), otherwise it ends in error with a reason; extending is reconciled with
/// the size the driver reports (available at the new size if the extend took effect, otherwise
/// error_extending naming the true size); deleting is resumed; a migration cut short is settled on its source
/// (available, migration status error). One resource that cannot be cleaned is marked with a reason and does not fail
/// the attempt; failing to read the database does (recoverable).
/// </summary>
public sealed partial class TransitionalResourceCleaner(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    VolumeManager manager,
    OrphanVolumeFiles orphans,
    ILogger<TransitionalResourceCleaner> logger,
    Attachments.IAttachmentRepository? attachments = null,
    IInterruptedCreates? interruptedCreates = null) : ITransitionalResourceCleaner
{
    private const long BytesPerGb = 1L << 30;

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
                if (interruptedCreates is not null && await interruptedCreates.TryResumeSnapshotAsync(snapshot, host, cancellationToken).ConfigureAwait(false))
                {
                    LogCreateResumed(logger, host, snapshot.Id);
                    continue;
                }

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
                case VolumeStatus.Creating when interruptedCreates is not null && await interruptedCreates.TryResumeVolumeAsync(volume, cancellationToken).ConfigureAwait(false):
                    LogCreateResumed(logger, host, volume.Id);
                    break;
                case VolumeStatus.Creating:
                    await volumes.TryUpdateAsync(
                        volume.Id, [VolumeStatus.Creating], v => v with { Status = VolumeStatus.Error, ErrorReason = $"Volume creation {InterruptedReason}." },
                        cancellationToken).ConfigureAwait(false);
                    break;
                case VolumeStatus.Extending:
                    await ReconcileExtendAsync(driver, volume, cancellationToken).ConfigureAwait(false);
                    break;
                case VolumeStatus.Reverting:
                    await ResumeRevertAsync(driver, volume, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await DeleteVolumeAsync(driver, volume, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        foreach (var volume in backendVolumes.Where(v => VolumeManager.IsMigrating(v) && !manager.IsInFlight(v.Id)))
        {
            cleaned++;
            await SettleMigrationAsync(volume, cancellationToken).ConfigureAwait(false);
        }

        cleaned += await SettleAttachStatusesAsync(backendVolumes, cancellationToken).ConfigureAwait(false);
        if (cleaned > 0)
        {
            LogCleaned(logger, host, cleaned);
        }

        if (driver is IVolumeInventory inventory)
        {
            await ReportOrphansAsync(host, inventory, cancellationToken).ConfigureAwait(false);
        }
    }

    // A revert cut short: the driver's revert is safe to repeat, so it runs again from the snapshot that
    // is still restoring; without one there is nothing to revert from and the volume says so.
    private async Task ResumeRevertAsync(IVolumeDriver driver, Volume volume, CancellationToken cancellationToken)
    {
        var restoring = (await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Status == SnapshotStatus.Restoring);
        if (restoring is null)
        {
            await volumes.TryUpdateAsync(
                volume.Id, [VolumeStatus.Reverting], v => v with { Status = VolumeStatus.Error, ErrorReason = $"Revert to snapshot {InterruptedReason}, and no snapshot of it is restoring." },
                cancellationToken).ConfigureAwait(false);
            return;
        }

        // The driver given to the clean-up, not the manager's: the backend is still initializing.
        string? failure = null;
        try
        {
            await driver.RevertToSnapshotAsync(VolumeManager.ToRef(volume), VolumeManager.ToRef(restoring, volume), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            failure = $"Resumed revert to snapshot {restoring.Id} failed: {ex.GetType().Name}: {ex.Message}";
        }

        await snapshots.TryUpdateAsync(restoring.Id, [SnapshotStatus.Restoring], s => s with { Status = SnapshotStatus.Available }, cancellationToken).ConfigureAwait(false);
        await volumes.TryUpdateAsync(
            volume.Id,
            [VolumeStatus.Reverting],
            v => failure is null ? v with { Status = VolumeStatus.Available, ErrorReason = null } : v with { Status = VolumeStatus.Error, ErrorReason = failure },
            cancellationToken).ConfigureAwait(false);
    }

    // A migration cut short: the record still names the source, whose copy was never touched, so the volume
    // is usable where it is. A partial copy on the destination is replaced by the next migration there
    // (CreateVolumeFromImageAsync); it is not deleted here, where only the source's driver is at hand.
    private async Task SettleMigrationAsync(Volume volume, CancellationToken cancellationToken)
    {
        var reason = $"Migration {InterruptedReason}; the volume stayed on {volume.Host}.";
        LogMigrationSettled(logger, volume.Id, volume.Status.ToWireName());
        await volumes.TryUpdateAsync(
            volume.Id,
            [volume.Status],
            v => VolumeManager.IsMigrating(v) ? v with { Status = VolumeStatus.Available, MigrationStatus = MigrationStatuses.Error, ErrorReason = reason } : v,
            cancellationToken).ConfigureAwait(false);
    }

    // Volumes on the storage that no record knows (a database deleted or restored from an old backup) are
    // reported each time the backend initializes. Finding them is best effort: it never fails the attempt.
    private async Task ReportOrphansAsync(string host, IVolumeInventory inventory, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredVolume> found;
        try
        {
            found = await OrphanVolumeFiles.FindAsync(inventory, volumes, host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            LogOrphanSearchFailed(logger, host, ex);
            return;
        }

        orphans.Record(host, found);
        if (found.Count > 0)
        {
            const int Named = 10;
            var names = string.Join(", ", found.Take(Named).Select(o => o.Location)) + (found.Count > Named ? $" and {found.Count - Named} more" : string.Empty);
            LogOrphans(logger, host, found.Count, names);
        }
    }

    // The record says the size before the extend; the storage may already have the new one (kill -9
    // between the resize and the status write). Growing is the only change an extend makes, so a volume
    // larger than recorded, by whole GB, was extended: record that and make it usable. Otherwise the reason
    // states the size the storage really has, never a guess.
    private async Task ReconcileExtendAsync(IVolumeDriver driver, Volume volume, CancellationToken cancellationToken)
    {
        long? actual = null;
        try
        {
            actual = await driver.GetVolumeSizeAsync(VolumeManager.ToRef(volume), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            LogSizeUnknown(logger, volume.Id, ex);
        }

        var recorded = volume.SizeGb * BytesPerGb;
        if (actual is { } bytes && bytes > recorded && bytes % BytesPerGb == 0 && bytes / BytesPerGb <= int.MaxValue)
        {
            var sizeGb = (int)(bytes / BytesPerGb);
            LogExtendCompleted(logger, volume.Id, volume.SizeGb, sizeGb);

            // An attached volume (extended from 3.42) goes back to in-use, as its attachments say.
            var attached = attachments is not null && (await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false)).Count > 0;
            await volumes.TryUpdateAsync(
                volume.Id, [VolumeStatus.Extending], v => v with { Status = attached ? VolumeStatus.InUse : VolumeStatus.Available, SizeGb = sizeGb, ErrorReason = null },
                cancellationToken).ConfigureAwait(false);
            return;
        }

        var size = actual switch
        {
            null => $"the backend cannot tell the volume's size; it is recorded as {volume.SizeGb} GB",
            var same when same == recorded => $"the size is unchanged ({volume.SizeGb} GB)",
            var other => string.Create(CultureInfo.InvariantCulture, $"the volume is {other / (double)BytesPerGb:0.###} GB on the backend, recorded as {volume.SizeGb} GB"),
        };
        await volumes.TryUpdateAsync(
            volume.Id, [VolumeStatus.Extending], v => v with { Status = VolumeStatus.ErrorExtending, ErrorReason = $"Volume extension {InterruptedReason}; {size}." },
            cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(2853, LogLevel.Information, "Backend {Backend}: {Id} was left creating by an earlier run; its create message is queued again and carries it out")]
    private static partial void LogCreateResumed(ILogger logger, string backend, string id);

    [LoggerMessage(500, LogLevel.Information, "Backend {Backend}: resolved {Count} volumes and snapshots left in transitional statuses")]
    private static partial void LogCleaned(ILogger logger, string backend, int count);

    [LoggerMessage(2302, LogLevel.Warning, "{Id}: a migration interrupted by a restart left the volume {Status}; it is available on its source again, migration status error")]
    private static partial void LogMigrationSettled(ILogger logger, string id, string status);

    [LoggerMessage(1922, LogLevel.Warning, "Backend {Backend}: {Count} volumes on the storage have no record in the database (kept, not deleted; list them with `kiln orphans`): {Volumes}")]
    private static partial void LogOrphans(ILogger logger, string backend, int count, string volumes);

    [LoggerMessage(1923, LogLevel.Warning, "Backend {Backend}: could not look for volumes that have no record")]
    private static partial void LogOrphanSearchFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(1920, LogLevel.Information, "{Id}: an extend interrupted by a restart had completed on the backend; recorded {NewSizeGb} GB (was {OldSizeGb} GB) and made it available")]
    private static partial void LogExtendCompleted(ILogger logger, string id, int oldSizeGb, int newSizeGb);

    [LoggerMessage(1921, LogLevel.Warning, "{Id}: the backend could not tell the size of a volume whose extend was interrupted")]
    private static partial void LogSizeUnknown(ILogger logger, string id, Exception exception);
}
