using Kiln.Core.Volumes;
using Kiln.Server.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Cascade delete's claim, decided as <see cref="EfVolumeRepository.TryBeginDeleteAsync"/> is: lock the
/// volume's row, then one set of reads and conditional writes that a snapshot insert or a clone (which
/// lock the same row first) cannot interleave with.
/// </summary>
internal sealed class EfCascadeDeleteClaims(DatabaseWriter writes, TimeProvider timeProvider) : ICascadeDeleteClaims
{
    private static readonly string Creating = VolumeStatus.Creating.ToWireName();
    private static readonly string Deleting = VolumeStatus.Deleting.ToWireName();
    private static readonly string[] SnapshotDeletable = [SnapshotStatus.Available.ToWireName(), SnapshotStatus.Error.ToWireName()];
    private static readonly string SnapshotDeleting = SnapshotStatus.Deleting.ToWireName();

    public Task<CascadeClaim> TryBeginAsync(string volumeId, IReadOnlyCollection<VolumeStatus> expected, bool ownerProjectOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var statuses = expected.Select(s => s.ToWireName()).ToList();
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeAsync(db, volumeId, requiredStatus: null, ct).ConfigureAwait(false))
                {
                    return new CascadeClaim(null);
                }

                var volume = await db.Volumes.AsNoTracking().FirstAsync(v => v.Id == volumeId, ct).ConfigureAwait(false);
                var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.VolumeId == volumeId).ToListAsync(ct).ConfigureAwait(false);
                var snapshotIds = snapshots.ConvertAll(s => s.Id);
                var undeletable = snapshots.Count(s => !SnapshotDeletable.Contains(s.Status));
                var foreign = ownerProjectOnly ? snapshots.Count(s => s.ProjectId != volume.ProjectId) : 0;
                var clones = await db.Volumes.CountAsync(
                    c => c.Status == Creating && (c.SourceVolumeId == volumeId || (c.SourceSnapshotId != null && snapshotIds.Contains(c.SourceSnapshotId))), ct).ConfigureAwait(false);
                if (!statuses.Contains(volume.Status) || undeletable > 0 || foreign > 0 || clones > 0)
                {
                    return new CascadeClaim(null, snapshots.Count, undeletable, foreign, clones);
                }

                var now = timeProvider.GetUtcNow();
                await db.Snapshots.Where(s => s.VolumeId == volumeId)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SnapshotDeleting).SetProperty(s => s.ErrorReason, (string?)null).SetProperty(s => s.UpdatedAt, now), ct)
                    .ConfigureAwait(false);
                await db.Volumes.Where(v => v.Id == volumeId)
                    .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, Deleting).SetProperty(v => v.ErrorReason, (string?)null).SetProperty(v => v.UpdatedAt, now), ct)
                    .ConfigureAwait(false);
                var claimed = await db.Volumes.AsNoTracking().FirstAsync(v => v.Id == volumeId, ct).ConfigureAwait(false);
                return new CascadeClaim(claimed.ToVolume(), snapshots.Count) { Before = (volume.ToVolume(), snapshots.ConvertAll(s => s.ToSnapshot())) };
            },
            cancellationToken);
    }
}
