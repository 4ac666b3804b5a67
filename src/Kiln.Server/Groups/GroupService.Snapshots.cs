using Kiln.Core.Volumes;
using Kiln.Server.Messaging;
using Kiln.Server.Quotas;
using Kiln.Server.Volumes;

namespace Kiln.Server.Groups;

/// <summary>Group snapshots (3.14) and groups created from a group snapshot or a source group.</summary>
public sealed partial class GroupService
{
    private static readonly GroupStatus[] SnapshotDeletable = [GroupStatus.Available, GroupStatus.Error];

    public async Task<Outcome<GroupSnapshot>> CreateSnapshotAsync(Caller caller, string groupId, string? name, string? description, CancellationToken cancellationToken)
    {
        var group = await FindAsync(caller, groupId, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return NotFound<GroupSnapshot>(groupId);
        }

        if (group.Status is not (GroupStatus.Available or GroupStatus.InUse) || group.BackendHost is null)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.BadRequest, $"Invalid group: Group status must be available or in-use, but current status is: {group.Status.ToWireName()}.");
        }

        if (NotReady(group.BackendHost) is { } notReady)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.Conflict, $"Cannot snapshot group {group.Id}: {notReady}");
        }

        var members = await groups.ListVolumesAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (members.FirstOrDefault(v => v.Status != VolumeStatus.Available) is { } busy)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {busy.Id} status must be available, but current status is: {busy.Status.ToWireName()}.");
        }

        var now = timeProvider.GetUtcNow();
        var groupSnapshot = new GroupSnapshot
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = caller.ProjectId,
            UserId = caller.UserId,
            GroupId = group.Id,
            GroupTypeId = group.GroupTypeId,
            Name = name,
            Description = description,
            Status = GroupStatus.Creating,
            CreatedAt = now,
        };
        await groups.AddSnapshotAsync(groupSnapshot, cancellationToken).ConfigureAwait(false);

        var added = new List<string>();
        foreach (var volume in members)
        {
            // Cinder names each member snapshot after the group snapshot.
            var snapshot = new Snapshot
            {
                Id = Guid.NewGuid().ToString(),
                ProjectId = caller.ProjectId,
                UserId = caller.UserId,
                VolumeId = volume.Id,
                Name = name,
                Description = description,
                SizeGb = volume.SizeGb,
                Status = SnapshotStatus.Creating,
                GroupSnapshotId = groupSnapshot.Id,
                CreatedAt = now,
            };
            var result = await quotas.AddSnapshotAsync(snapshot, volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
            if (!result.Inserted)
            {
                await RemoveAddedAsync(cancellationToken).ConfigureAwait(false);
                return result.Denial is { } overQuota
                    ? Outcome<GroupSnapshot>.Refuse(Refusal.OverLimit, overQuota)
                    : Outcome<GroupSnapshot>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} changed status while the group snapshot was taken; try again.");
            }

            added.Add(snapshot.Id);
        }

        await bus.SendOrUndoAsync(Queues.Volume(group.BackendHost), new CreateGroupSnapshot(groupSnapshot.Id), RemoveAddedAsync, logger, cancellationToken).ConfigureAwait(false);
        return groupSnapshot;

        // The member snapshots this request inserted, then the group snapshot (it goes only once they are gone).
        async Task RemoveAddedAsync(CancellationToken ct)
        {
            foreach (var id in added)
            {
                await snapshots.TryRemoveAsync(id, SnapshotStatus.Creating, ct).ConfigureAwait(false);
            }

            await groups.TryRemoveSnapshotAsync(groupSnapshot.Id, GroupStatus.Creating, ct).ConfigureAwait(false);
        }
    }

    public async Task<Outcome<GroupSnapshot>> DeleteSnapshotAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var groupSnapshot = await FindSnapshotAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (groupSnapshot is null)
        {
            return SnapshotNotFound(id);
        }

        if (!SnapshotDeletable.Contains(groupSnapshot.Status))
        {
            return Outcome<GroupSnapshot>.Refuse(
                Refusal.BadRequest, $"Invalid group snapshot: Group snapshot status must be available or error, but current status is: {groupSnapshot.Status.ToWireName()}.");
        }

        var backend = (await groups.FindAsync(groupSnapshot.GroupId, cancellationToken).ConfigureAwait(false))?.BackendHost;
        if (backend is not null && NotReady(backend) is { } notReady)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.Conflict, $"Cannot delete group snapshot {groupSnapshot.Id}: {notReady}");
        }

        var claim = await groups.TryBeginDeleteSnapshotAsync(groupSnapshot.Id, SnapshotDeletable, cancellationToken).ConfigureAwait(false);
        if (claim.Refusal is { } reason)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.BadRequest, $"Invalid group snapshot: {reason}");
        }

        if (claim.Deleting is not { } deleting)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.Conflict, $"Group snapshot {id} changed status while the request was handled; try again.");
        }

        if (backend is null)
        {
            await groups.TryRemoveSnapshotAsync(deleting.Id, GroupStatus.Deleting, cancellationToken).ConfigureAwait(false);
            return deleting;
        }

        var (groupSnapshotBefore, snapshotsBefore) = claim.Before!.Value;
        await bus.SendOrUndoAsync(
            Queues.Volume(backend),
            new DeleteGroupSnapshot(deleting.Id),
            async ct =>
            {
                foreach (var snapshot in snapshotsBefore)
                {
                    await snapshots.TryUpdateAsync(snapshot.Id, [SnapshotStatus.Deleting], s => s with { Status = snapshot.Status, ErrorReason = snapshot.ErrorReason }, ct)
                        .ConfigureAwait(false);
                }

                await groups.TryUpdateSnapshotAsync(
                    deleting.Id, [GroupStatus.Deleting], s => s with { Status = groupSnapshotBefore.Status, ErrorReason = groupSnapshotBefore.ErrorReason }, ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        return deleting;
    }

    /// <summary>Admin (3.19): sets the status without touching the backend.</summary>
    public async Task<Outcome<GroupSnapshot>> ResetSnapshotStatusAsync(Caller caller, string id, string? status, CancellationToken cancellationToken)
    {
        if (!GroupStatusNames.TryParse(status, out var target) || target is GroupStatus.Updating or GroupStatus.InUse)
        {
            return Outcome<GroupSnapshot>.Refuse(Refusal.BadRequest, $"Invalid group snapshot status: {status}; valid statuses are creating, available, deleting, error, error_deleting.");
        }

        var groupSnapshot = await FindSnapshotAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (groupSnapshot is null)
        {
            return SnapshotNotFound(id);
        }

        var updated = await groups.TryUpdateSnapshotAsync(groupSnapshot.Id, [groupSnapshot.Status], s => s with { Status = target, ErrorReason = null }, cancellationToken).ConfigureAwait(false);
        return updated is null ? Outcome<GroupSnapshot>.Refuse(Refusal.Conflict, $"Group snapshot {id} changed status while the request was handled; try again.") : updated;
    }

    /// <summary>The group snapshot, when it exists and the caller sees it.</summary>
    public async Task<GroupSnapshot?> FindSnapshotAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var groupSnapshot = await groups.FindSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        return groupSnapshot is not null && caller.Sees(groupSnapshot.ProjectId) ? groupSnapshot : null;
    }

    /// <summary>
    /// Cinder's <c>create-from-src</c> (3.14): a new group with the source's types on the source's
    /// backend, and one volume per snapshot of the group snapshot (or per volume of the source group),
    /// each made from it. The volumes are created by the backend one after another; the group is
    /// <c>available</c> once all are, <c>error</c> if any is not.
    /// </summary>
    public async Task<Outcome<Group>> CreateFromSourceAsync(Caller caller, GroupFromSourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Group? source;
        var sources = new List<(Volume Volume, Snapshot? Snapshot)>();
        if (request.GroupSnapshotId is { } groupSnapshotId)
        {
            var groupSnapshot = await FindSnapshotAsync(caller, groupSnapshotId, cancellationToken).ConfigureAwait(false);
            if (groupSnapshot is null)
            {
                return Outcome<Group>.Refuse(Refusal.NotFound, $"GroupSnapshot {groupSnapshotId} could not be found.");
            }

            if (groupSnapshot.Status != GroupStatus.Available)
            {
                return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group snapshot: Group snapshot status must be available, but current status is: {groupSnapshot.Status.ToWireName()}.");
            }

            source = await groups.FindAsync(groupSnapshot.GroupId, cancellationToken).ConfigureAwait(false);
            foreach (var snapshot in await groups.ListMembersAsync(groupSnapshot.Id, cancellationToken).ConfigureAwait(false))
            {
                if (await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false) is { } volume)
                {
                    sources.Add((volume, snapshot));
                }
            }
        }
        else
        {
            source = await FindAsync(caller, request.SourceGroupId!, cancellationToken).ConfigureAwait(false);
            if (source is null)
            {
                return NotFound<Group>(request.SourceGroupId!);
            }

            if (source.Status != GroupStatus.Available)
            {
                return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: Source group status must be available, but current status is: {source.Status.ToWireName()}.");
            }

            sources.AddRange((await groups.ListVolumesAsync(source.Id, cancellationToken).ConfigureAwait(false)).Select(v => (v, (Snapshot?)null)));
        }

        if (source?.Host is not { } host)
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, "Invalid group: the source group is not placed on any backend.");
        }

        if (sources.FirstOrDefault(s => s.Snapshot is null ? s.Volume.Status != VolumeStatus.Available : s.Snapshot.Status != SnapshotStatus.Available) is { Volume: not null } unready)
        {
            return unready.Snapshot is { } snapshot
                ? Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid snapshot: Snapshot {snapshot.Id} status must be available, but current status is: {snapshot.Status.ToWireName()}.")
                : Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {unready.Volume.Id} status must be available, but current status is: {unready.Volume.Status.ToWireName()}.");
        }

        var backend = Core.Volumes.HostNames.Backend(host);
        if (NotReady(backend) is { } notReady)
        {
            return Outcome<Group>.Refuse(Refusal.Conflict, $"Cannot create a group from group {source.Id}: {notReady}");
        }

        var now = timeProvider.GetUtcNow();
        var group = source with
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = caller.ProjectId,
            UserId = caller.UserId,
            Name = request.Name,
            Description = request.Description,
            Status = GroupStatus.Creating,
            GroupSnapshotId = request.GroupSnapshotId,
            SourceGroupId = request.GroupSnapshotId is null ? source.Id : null,
            ErrorReason = null,
            CreatedAt = now,
            UpdatedAt = null,
        };
        if (await AddWithinQuotaAsync(group, cancellationToken).ConfigureAwait(false) is { } overGroups)
        {
            return Outcome<Group>.Refuse(Refusal.OverLimit, overGroups);
        }

        var added = new List<string>();
        foreach (var (volume, snapshot) in sources)
        {
            var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
            var copy = new Volume
            {
                Id = Guid.NewGuid().ToString(),
                ProjectId = caller.ProjectId,
                UserId = caller.UserId,
                Name = volume.Name,
                Description = volume.Description,
                SizeGb = snapshot?.SizeGb ?? volume.SizeGb,
                Status = VolumeStatus.Creating,
                Host = volume.Host,
                AvailabilityZone = volume.AvailabilityZone,
                VolumeTypeId = volume.VolumeTypeId,
                SourceSnapshotId = snapshot?.Id,
                SourceVolumeId = snapshot is null ? volume.Id : null,
                GroupId = group.Id,
                CreatedAt = now,
            };
            var result = type is null
                ? new InsertResult(InsertConflict.TypeGone, null)
                : await quotas.AddVolumeAsync(copy, type, cancellationToken).ConfigureAwait(false);
            if (!result.Inserted)
            {
                await RemoveAddedAsync(cancellationToken).ConfigureAwait(false);
                return result.Denial is { } overQuota
                    ? Outcome<Group>.Refuse(Refusal.OverLimit, overQuota)
                    : Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: the source of volume {volume.Id} changed while the group was created; try again.");
            }

            added.Add(copy.Id);
        }

        await bus.SendOrUndoAsync(Queues.Volume(backend), new CreateGroupFromSource(group.Id), RemoveAddedAsync, logger, cancellationToken).ConfigureAwait(false);
        return group;

        // The volumes this request inserted, then the group (removed only once no volume belongs to it).
        async Task RemoveAddedAsync(CancellationToken ct)
        {
            foreach (var id in added)
            {
                await volumes.TryRemoveAsync(id, VolumeStatus.Creating, ct).ConfigureAwait(false);
            }

            await groups.TryRemoveAsync(group.Id, GroupStatus.Creating, ct).ConfigureAwait(false);
        }
    }

    private static Outcome<GroupSnapshot> SnapshotNotFound(string id) => Outcome<GroupSnapshot>.Refuse(Refusal.NotFound, $"GroupSnapshot {id} could not be found.");
}
