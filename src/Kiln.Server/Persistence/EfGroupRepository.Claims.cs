using Kiln.Core.Volumes;
using Kiln.Server.Groups;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>The writes that move a group or group snapshot together with its members.</summary>
internal sealed partial class EfGroupRepository
{
    /// <summary>Statuses a volume may be deleted from with its group (those of a volume delete).</summary>
    private static readonly string[] VolumeDeletable =
        [.. new[] { VolumeStatus.Available, VolumeStatus.Error, VolumeStatus.ErrorDeleting, VolumeStatus.ErrorExtending }.Select(s => s.ToWireName())];

    public Task<GroupClaim> TryBeginDeleteAsync(string id, IReadOnlyCollection<GroupStatus> expected, bool deleteVolumes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return writes.RunAsync(
            async (db, ct) =>
            {
                var group = await db.Groups.Include(g => g.VolumeTypes).FirstOrDefaultAsync(g => g.Id == id, ct).ConfigureAwait(false);
                if (group is null || !expected.Contains(group.ToGroup().Status))
                {
                    return new GroupClaim(null);
                }

                if (await db.GroupSnapshots.AnyAsync(s => s.GroupId == id, ct).ConfigureAwait(false))
                {
                    return new GroupClaim(null, "Group has existing snapshots.");
                }

                var members = await db.Volumes.Where(v => v.GroupId == id).ToListAsync(ct).ConfigureAwait(false);
                if (members.Count > 0 && !deleteVolumes)
                {
                    return new GroupClaim(null, $"Group {id} still contains volumes. The delete-volumes flag is required to delete it.");
                }

                if (members.Find(v => !VolumeDeletable.Contains(v.Status)) is { } busy)
                {
                    return new GroupClaim(null, $"Volume {busy.Id} in group {id} status must be available or error or error_extending or error_deleting, but current status is: {busy.Status}.");
                }

                var memberIds = members.ConvertAll(v => v.Id);
                if (await db.Snapshots.AnyAsync(s => memberIds.Contains(s.VolumeId), ct).ConfigureAwait(false))
                {
                    return new GroupClaim(null, "Volume in group still has dependent snapshots.");
                }

                var before = (group.ToGroup(), (IReadOnlyList<Volume>)members.ConvertAll(v => v.ToVolume()));
                var now = timeProvider.GetUtcNow();
                foreach (var volume in members)
                {
                    volume.Status = VolumeStatus.Deleting.ToWireName();
                    volume.ErrorReason = null;
                    volume.UpdatedAt = now;
                }

                group.Status = GroupStatus.Deleting.ToWireName();
                group.ErrorReason = null;
                group.UpdatedAt = now;

                // Every status read above is a concurrency token: a member claimed by another request meanwhile fails the whole claim.
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false) ? new GroupClaim(group.ToGroup()) { Before = before } : new GroupClaim(null);
            },
            cancellationToken);
    }

    public Task<bool> TryChangeMembersAsync(string id, IReadOnlyList<Volume> add, IReadOnlyList<Volume> remove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        var available = GroupStatus.Available.ToWireName();
        return writes.RunAsync(
            async (db, ct) =>
            {
                var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id && g.Status == available, ct).ConfigureAwait(false);
                if (group is null)
                {
                    return false;
                }

                var now = timeProvider.GetUtcNow();
                foreach (var (volume, groupId) in add.Select(v => (v, (string?)id)).Concat(remove.Select(v => (v, (string?)null))))
                {
                    var status = volume.Status.ToWireName();
                    var entity = await db.Volumes.FirstOrDefaultAsync(v => v.Id == volume.Id && v.Status == status && v.GroupId == volume.GroupId, ct).ConfigureAwait(false);
                    if (entity is null)
                    {
                        return false;
                    }

                    entity.GroupId = groupId;
                    entity.UpdatedAt = now;
                }

                group.UpdatedAt = now;
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task AddSnapshotAsync(GroupSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return writes.RunAsync(
            (db, ct) =>
            {
                db.GroupSnapshots.Add(GroupSnapshotEntity.From(snapshot));
                return db.SaveChangesAsync(ct);
            },
            cancellationToken);
    }

    public async Task<GroupSnapshot?> FindSnapshotAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.GroupSnapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
            return entity?.ToGroupSnapshot();
        }
    }

    public async Task<IReadOnlyList<GroupSnapshot>> ListSnapshotsAsync(string? projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var scope = projectId is null ? db.GroupSnapshots.AsNoTracking() : db.GroupSnapshots.AsNoTracking().Where(s => s.ProjectId == projectId);
            var entities = await scope.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(s => s.ToGroupSnapshot());
        }
    }

    public async Task<IReadOnlyList<GroupSnapshot>> ListSnapshotsByBackendAsync(string backendHost, CancellationToken cancellationToken)
    {
        var groupIds = (await ListByBackendAsync(backendHost, cancellationToken).ConfigureAwait(false)).Select(g => g.Id).ToList();
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.GroupSnapshots.AsNoTracking().Where(s => groupIds.Contains(s.GroupId)).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(s => s.ToGroupSnapshot());
        }
    }

    public async Task<IReadOnlyList<Snapshot>> ListMembersAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.Snapshots.AsNoTracking().Where(s => s.GroupSnapshotId == id).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(s => s.ToSnapshot());
        }
    }

    public Task<GroupSnapshot?> TryUpdateSnapshotAsync(string id, IReadOnlyCollection<GroupStatus> expected, Func<GroupSnapshot, GroupSnapshot> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(change);
        return writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.GroupSnapshots.FirstOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                var current = entity.ToGroupSnapshot();
                if (!expected.Contains(current.Status))
                {
                    return null;
                }

                var changed = change(current) with { Id = id, UpdatedAt = timeProvider.GetUtcNow() };
                entity.Apply(changed);
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false) ? changed : null;
            },
            cancellationToken);
    }

    public Task<bool> TryRemoveSnapshotAsync(string id, GroupStatus expected, CancellationToken cancellationToken)
    {
        var status = expected.ToWireName();
        return writes.RunAsync(
            async (db, ct) => !await db.Snapshots.AnyAsync(s => s.GroupSnapshotId == id, ct).ConfigureAwait(false)
                && await db.GroupSnapshots.Where(s => s.Id == id && s.Status == status).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    public Task<GroupSnapshotClaim> TryBeginDeleteSnapshotAsync(string id, IReadOnlyCollection<GroupStatus> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var creating = VolumeStatus.Creating.ToWireName();
        return writes.RunAsync(
            async (db, ct) =>
            {
                var groupSnapshot = await db.GroupSnapshots.FirstOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);
                if (groupSnapshot is null || !expected.Contains(groupSnapshot.ToGroupSnapshot().Status))
                {
                    return new GroupSnapshotClaim(null);
                }

                var members = await db.Snapshots.Where(s => s.GroupSnapshotId == id).ToListAsync(ct).ConfigureAwait(false);
                var memberIds = members.ConvertAll(s => s.Id);
                if (await db.Volumes.AnyAsync(v => v.SourceSnapshotId != null && memberIds.Contains(v.SourceSnapshotId) && v.Status == creating, ct).ConfigureAwait(false))
                {
                    return new GroupSnapshotClaim(null, $"Group snapshot {id} is the source of volumes being created.");
                }

                var before = (groupSnapshot.ToGroupSnapshot(), (IReadOnlyList<Snapshot>)members.ConvertAll(m => m.ToSnapshot()));
                var now = timeProvider.GetUtcNow();
                foreach (var snapshot in members)
                {
                    snapshot.Status = SnapshotStatus.Deleting.ToWireName();
                    snapshot.ErrorReason = null;
                    snapshot.UpdatedAt = now;
                }

                groupSnapshot.Status = GroupStatus.Deleting.ToWireName();
                groupSnapshot.ErrorReason = null;
                groupSnapshot.UpdatedAt = now;
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false)
                    ? new GroupSnapshotClaim(groupSnapshot.ToGroupSnapshot()) { Before = before }
                    : new GroupSnapshotClaim(null);
            },
            cancellationToken);
    }
}
