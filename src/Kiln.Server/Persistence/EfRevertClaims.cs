using Kiln.Core.Volumes;
using Kiln.Server.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Revert's claim: the volume's row locked first (as a snapshot insert locks it), then both status changes.</summary>
internal sealed class EfRevertClaims(DatabaseWriter writes, TimeProvider timeProvider) : IRevertClaims
{
    private static readonly string Available = VolumeStatus.Available.ToWireName();
    private static readonly string Reverting = VolumeStatus.Reverting.ToWireName();
    private static readonly string SnapshotAvailable = SnapshotStatus.Available.ToWireName();
    private static readonly string Restoring = SnapshotStatus.Restoring.ToWireName();

    public Task<Volume?> TryBeginAsync(string volumeId, string snapshotId, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeAsync(db, volumeId, Available, ct).ConfigureAwait(false))
                {
                    return null;
                }

                var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.VolumeId == volumeId).Select(s => new { s.Id, s.Status, s.CreatedAt }).ToListAsync(ct).ConfigureAwait(false);
                var latest = snapshots.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).FirstOrDefault();
                if (latest is null || latest.Id != snapshotId || latest.Status != SnapshotAvailable)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                await db.Snapshots.Where(s => s.Id == snapshotId && s.Status == SnapshotAvailable)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, Restoring).SetProperty(s => s.UpdatedAt, now), ct).ConfigureAwait(false);
                await db.Volumes.Where(v => v.Id == volumeId && v.Status == Available)
                    .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, Reverting).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false);
                var claimed = await db.Volumes.AsNoTracking().FirstAsync(v => v.Id == volumeId, ct).ConfigureAwait(false);
                return claimed.ToVolume();
            },
            cancellationToken);
}
