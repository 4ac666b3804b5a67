using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// The <c>provider_*</c> fields of drivers' model updates, stored as Cinder stores them: a create's with the new
/// volume, <c>create_export</c>'s with the exported volume, <c>create_snapshot</c>'s with the snapshot. They are read
/// back from the database for every later call (<see cref="ToRef(Volume)"/>), so they survive a restart.
/// </summary>
public sealed partial class VolumeManager
{
    // A write that loses to a concurrent status change (an attach completing) is read again and retried; a handful of
    // rounds is more than two requests on one volume can race.
    private const int ExportUpdateRounds = 5;

    /// <summary><paramref name="volume"/> with the fields <paramref name="update"/> sets; the others keep their stored values.</summary>
    internal static Volume Stored(Volume volume, VolumeUpdate update) => volume with
    {
        ProviderLocation = update.ProviderLocation ?? volume.ProviderLocation,
        ProviderAuth = update.ProviderAuth ?? volume.ProviderAuth,
        ProviderId = update.ProviderId ?? volume.ProviderId,
    };

    /// <summary><paramref name="snapshot"/> with the fields <paramref name="update"/> sets; the others keep their stored values.</summary>
    internal static Snapshot Stored(Snapshot snapshot, VolumeUpdate update) => snapshot with
    {
        ProviderLocation = update.ProviderLocation ?? snapshot.ProviderLocation,
        ProviderAuth = update.ProviderAuth ?? snapshot.ProviderAuth,
        ProviderId = update.ProviderId ?? snapshot.ProviderId,
    };

    /// <summary>
    /// Saves the export's model update with the volume, whatever its status (Cinder's <c>initialize_connection</c>
    /// saves it unconditionally): the next call on the volume, in this process or after a restart, gets the
    /// credentials the export was made with.
    /// </summary>
    private async Task StoreExportUpdateAsync(string volumeId, VolumeUpdate update, CancellationToken cancellationToken)
    {
        if (update.IsEmpty)
        {
            return;
        }

        for (var round = 0; round < ExportUpdateRounds; round++)
        {
            var current = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return; // Deleted meanwhile: the caller takes the export back when it finds the volume gone.
            }

            if (Stored(current, update) == current
                || await volumes.TryUpdateAsync(current, v => Stored(v, update), cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        LogExportUpdateLost(logger, volumeId, ExportUpdateRounds);
    }

    [LoggerMessage(3000, LogLevel.Warning, "{Id}: the export's model update was not saved: the volume changed under each of {Rounds} writes; its next driver call gets the fields stored before")]
    private static partial void LogExportUpdateLost(ILogger logger, string id, int rounds);
}
