using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// Migration between backends (<c>os-migrate_volume</c>, and <c>os-retype</c> with <c>on-demand</c>), as
/// Cinder's generic migration does it: create the volume on the destination with the source's data, switch
/// the record to it, delete the source. The volume keeps its id throughout.
/// </summary>
public sealed partial class VolumeManager
{
    private static readonly VolumeStatus[] MigratingStatuses = [VolumeStatus.Retyping, VolumeStatus.Maintenance];

    /// <summary>
    /// Moves a volume claimed for migration (<c>retyping</c> or <c>maintenance</c> with migration status
    /// <c>migrating</c>) to <paramref name="destinationHost"/> (<c>host@backend#pool</c>), giving it
    /// <paramref name="newTypeId"/> when a retype asked for the move. On success the volume is
    /// <c>available</c> on the destination with migration status <c>success</c>; on failure it is
    /// <c>available</c>, untouched, on its source with migration status <c>error</c> and the reason.
    /// </summary>
    public Task MigrateVolumeAsync(string volumeId, string destinationHost, string? newTypeId, CancellationToken cancellationToken) =>
        RunAsync(volumeId, "migrate", async () =>
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is not { MigrationStatus: MigrationStatuses.Migrating } || !MigratingStatuses.Contains(volume.Status))
            {
                return;
            }

            await MigrateOnBackendsAsync(volume, destinationHost, newTypeId, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Whether <paramref name="volume"/> is claimed by a migration (the start-up clean-up settles those a crash left).</summary>
    public static bool IsMigrating(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.MigrationStatus == MigrationStatuses.Migrating && MigratingStatuses.Contains(volume.Status);
    }

    private async Task MigrateOnBackendsAsync(Volume volume, string destinationHost, string? newTypeId, CancellationToken cancellationToken)
    {
        using var sourceAccess = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
        var (source, sourceTimeout, sourceRefusal) = sourceAccess;
        using var destinationAccess = await DriverForAsync(HostNames.Backend(destinationHost), cancellationToken).ConfigureAwait(false);
        var (destination, destinationTimeout, destinationRefusal) = destinationAccess;
        if (source is null || destination is null)
        {
            await FailMigrationAsync(volume, destinationHost, (sourceRefusal ?? destinationRefusal)!, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Checked again here: a snapshot taken between the API's check and the claim would be lost with the source.
        if ((await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            await FailMigrationAsync(volume, destinationHost, "Volume must not have snapshots.", cancellationToken).ConfigureAwait(false);
            return;
        }

        VolumeUpdate update;
        try
        {
            var image = await CallAsync("migrate export", sourceTimeout, async ct => await source.GetVolumeImageAsync(ToRef(volume), ct).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false)
                ?? throw new NotSupportedException($"the driver of backend {volume.BackendHost} cannot hand out a volume's data for a migration");
            var target = await CreateTargetAsync(volume with { VolumeTypeId = newTypeId ?? volume.VolumeTypeId }, cancellationToken).ConfigureAwait(false);
            update = await CallAsync("migrate copy", destinationTimeout, ct => destination.CreateVolumeFromImageAsync(target, image, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailMigrationAsync(volume, destinationHost, Describe(ex), cancellationToken).ConfigureAwait(false);
            return;
        }

        var moved = await finalWrite.RunAsync(
            volume.Id,
            $"migrated to {destinationHost}",
            ct => volumes.TryUpdateAsync(
                volume.Id,
                [volume.Status],
                v => v.MigrationStatus != MigrationStatuses.Migrating
                    ? v
                    : v with
                    {
                        Host = destinationHost,
                        ProviderLocation = update.ProviderLocation ?? v.ProviderLocation,

                        // The source's credentials and id belong to the source's storage (Cinder swaps in the new volume's).
                        ProviderAuth = update.ProviderAuth,
                        ProviderId = update.ProviderId,
                        VolumeTypeId = newTypeId ?? v.VolumeTypeId,
                        Status = VolumeStatus.Available,
                        MigrationStatus = MigrationStatuses.Success,
                        ErrorReason = null,
                    },
                ct),
            cancellationToken).ConfigureAwait(false);

        // The same location on both sides is one store seen by two backends: the data never moved, and
        // deleting "the source" would delete the volume.
        var shared = update.ProviderLocation is not null && string.Equals(update.ProviderLocation, volume.ProviderLocation, StringComparison.Ordinal);
        if (moved is not { MigrationStatus: MigrationStatuses.Success } || moved.Host != destinationHost)
        {
            // An administrator changed the volume meanwhile: it stays where its record says, the copy goes.
            LogStatusMoved(logger, volume.Id, "migrate");
            if (!shared)
            {
                await DeleteLeftOverAsync(destination, destinationTimeout, ToRef(volume) with { ProviderLocation = update.ProviderLocation, ProviderAuth = update.ProviderAuth, ProviderId = update.ProviderId }, HostNames.Backend(destinationHost), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        LogMigrated(logger, volume.Id, volume.Host!, destinationHost);
        if (!shared)
        {
            await DeleteLeftOverAsync(source, sourceTimeout, ToRef(volume), volume.BackendHost!, cancellationToken).ConfigureAwait(false);
        }
    }

    // The volume's copy that no record points at any more. Failing to delete it loses nothing but space, so
    // it is logged (with where it is) rather than failing a migration that has succeeded.
    private async Task DeleteLeftOverAsync(IVolumeDriver driver, TimeSpan timeout, VolumeRef copy, string backend, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("migrate delete", timeout, ct => driver.DeleteVolumeAsync(copy, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogLeftOver(logger, copy.Id, backend, copy.ProviderLocation ?? "(unknown location)", ex);
        }
    }

    private async Task FailMigrationAsync(Volume volume, string destinationHost, string reason, CancellationToken cancellationToken)
    {
        var why = $"Migration to {destinationHost} failed: {reason}";
        LogOperationFailed(logger, volume.Id, "migration " + MigrationStatuses.Error, why);
        await finalWrite.RunAsync(
            volume.Id,
            "migration error",
            ct => volumes.TryUpdateAsync(
                volume.Id,
                [volume.Status],
                v => v.MigrationStatus != MigrationStatuses.Migrating ? v : v with { Status = VolumeStatus.Available, MigrationStatus = MigrationStatuses.Error, ErrorReason = why },
                ct),
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(2300, LogLevel.Information, "{Id}: migrated from {Source} to {Destination}")]
    private static partial void LogMigrated(ILogger logger, string id, string source, string destination);

    [LoggerMessage(2301, LogLevel.Warning, "{Id}: the copy left on backend {Backend} after a migration could not be deleted ({Location}); delete it by hand")]
    private static partial void LogLeftOver(ILogger logger, string id, string backend, string location, Exception exception);
}
