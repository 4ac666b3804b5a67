using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Messaging;
using Kiln.Server.Quotas;
using Kiln.Server.Volumes;

namespace Kiln.Server.Groups;

/// <summary>
/// What the API asks of groups and group snapshots (Cinder's <c>cinder/group/api.py</c>): validation,
/// the conditional claim, then a message to the role that does the work. A request whose group lives on
/// a backend that is not ready is refused with 409 before anything changes. A message the broker cannot
/// take is answered 503 and the claim undone (<see cref="SendOrUndo"/>): rows the request added are removed,
/// rows it moved are put back in their status.
/// </summary>
public sealed partial class GroupService(
    IGroupRepository groups,
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    IVolumeTypeRepository types,
    IMessageBus bus,
    IBackendStates backends,
    QuotaService quotas,
    KilnConfiguration configuration,
    TimeProvider timeProvider,
    ILogger<GroupService> logger)
{
    /// <summary>Volume statuses a volume may join a group from (Cinder's VALID_ADD_VOL_TO_GROUP_STATUS).</summary>
    private static readonly VolumeStatus[] AddableStatuses = [VolumeStatus.Available, VolumeStatus.InUse];

    /// <summary>Volume statuses a volume may leave a group from (Cinder's VALID_REMOVE_VOL_FROM_GROUP_STATUS).</summary>
    private static readonly VolumeStatus[] RemovableStatuses = [VolumeStatus.Available, VolumeStatus.InUse, VolumeStatus.Error, VolumeStatus.ErrorDeleting];

    private static readonly GroupStatus[] Deletable = [GroupStatus.Available, GroupStatus.Error];

    public async Task<Outcome<Group>> CreateAsync(Caller caller, GroupCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var zone = request.AvailabilityZone ?? configuration.StorageAvailabilityZone;
        if (!string.Equals(zone, configuration.StorageAvailabilityZone, StringComparison.Ordinal))
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Availability zone '{zone}' is invalid. Valid zones: {configuration.StorageAvailabilityZone}.");
        }

        var groupType = await groups.FindTypeAsync(request.GroupType, cancellationToken).ConfigureAwait(false);
        if (groupType is null || (!groupType.IsPublic && !caller.AllProjects))
        {
            return Outcome<Group>.Refuse(Refusal.NotFound, $"Group type with id {request.GroupType} could not be found.");
        }

        var typeIds = new List<string>();
        foreach (var name in request.VolumeTypes)
        {
            var type = await types.FindAsync(name, cancellationToken).ConfigureAwait(false);
            if (type is null || (!type.IsPublic && !caller.AllProjects))
            {
                return Outcome<Group>.Refuse(Refusal.NotFound, $"Volume type {name} could not be found.");
            }

            if (!typeIds.Contains(type.Id))
            {
                typeIds.Add(type.Id);
            }
        }

        var group = new Group
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = caller.ProjectId,
            UserId = caller.UserId,
            Name = request.Name,
            Description = request.Description,
            Status = GroupStatus.Creating,
            AvailabilityZone = zone,
            GroupTypeId = groupType.Id,
            VolumeTypeIds = typeIds,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        if (await AddWithinQuotaAsync(group, cancellationToken).ConfigureAwait(false) is { } overQuota)
        {
            return Outcome<Group>.Refuse(Refusal.OverLimit, overQuota);
        }

        await bus.SendOrUndoAsync(Queues.Scheduler, new ScheduleGroup(group.Id), ct => groups.TryRemoveAsync(group.Id, GroupStatus.Creating, ct), logger, cancellationToken)
            .ConfigureAwait(false);
        return group;
    }

    /// <summary>Inserts <paramref name="group"/> within the project's <c>groups</c> quota; Cinder's 413 text when over it.</summary>
    private async Task<string?> AddWithinQuotaAsync(Group group, CancellationToken cancellationToken)
    {
        var limits = await quotas.ProjectLimitsAsync(group.ProjectId, cancellationToken).ConfigureAwait(false);
        var check = new QuotaCheck(limits, new Dictionary<string, string>(), quotas.Defaults.NoSnapshotGigabytes);
        return (await groups.AddAsync(group, check, cancellationToken).ConfigureAwait(false))?.Message;
    }

    public async Task<Outcome<Group>> UpdateAsync(Caller caller, string id, GroupUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return NotFound<Group>(id);
        }

        var add = SplitIds(request.AddVolumes);
        var remove = SplitIds(request.RemoveVolumes);
        if (string.IsNullOrEmpty(request.Name) && string.IsNullOrEmpty(request.Description) && add.Count == 0 && remove.Count == 0)
        {
            return Outcome<Group>.Refuse(
                Refusal.BadRequest,
                $"Invalid group: Cannot update group {id} because no valid name, description, add_volumes, or remove_volumes were provided.");
        }

        if (group.Status != GroupStatus.Available)
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: Group status must be available, but current status is: {group.Status.ToWireName()}.");
        }

        if (add.Intersect(remove, StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {both} is in both add and remove volume list.");
        }

        var toRemove = new List<Volume>();
        foreach (var volumeId in remove)
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is null || volume.GroupId != group.Id)
            {
                return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid volume: Cannot remove volume {volumeId} from group {id} because it is not in the group.");
            }

            if (!RemovableStatuses.Contains(volume.Status))
            {
                return Outcome<Group>.Refuse(
                    Refusal.BadRequest,
                    $"Invalid volume: Cannot remove volume {volumeId} from group {id} because volume is in an invalid state: {volume.Status.ToWireName()}. Valid states are: {string.Join(", ", RemovableStatuses.Select(s => s.ToWireName()))}.");
            }

            toRemove.Add(volume);
        }

        var toAdd = new List<Volume>();
        foreach (var volumeId in add)
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is null || !caller.Sees(volume.ProjectId))
            {
                return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid volume: Cannot add volume {volumeId} to group {id} because volume cannot be found.");
            }

            var refusal = volume.GroupId is { } other
                ? $"Cannot add volume {volumeId} to group {id} because it is already in group {other}."
                : !AddableStatuses.Contains(volume.Status)
                    ? $"Cannot add volume {volumeId} to group {id} because volume is in an invalid state: {volume.Status.ToWireName()}. Valid states are: {string.Join(", ", AddableStatuses.Select(s => s.ToWireName()))}."
                    : volume.VolumeTypeId is null || !group.VolumeTypeIds.Contains(volume.VolumeTypeId)
                        ? $"Cannot add volume {volumeId} to group {id} because volume type {volume.VolumeTypeId} is not supported by the group."
                        : !string.Equals(volume.BackendHost, group.BackendHost, StringComparison.Ordinal)
                            ? $"Cannot add volume {volumeId} to group {id} because volume is on backend {volume.BackendHost ?? "(none)"}, not on the group's {group.BackendHost}."
                            : null;
            if (refusal is not null)
            {
                return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid volume: {refusal}");
            }

            toAdd.Add(volume);
        }

        if ((toAdd.Count > 0 || toRemove.Count > 0) && !await groups.TryChangeMembersAsync(group.Id, toAdd, toRemove, cancellationToken).ConfigureAwait(false))
        {
            return Outcome<Group>.Refuse(Refusal.Conflict, $"Group {id} or one of the volumes changed while the request was handled; try again.");
        }

        var updated = await groups.TryUpdateAsync(
            group.Id,
            [GroupStatus.Available],
            g => g with { Name = string.IsNullOrEmpty(request.Name) ? g.Name : request.Name, Description = string.IsNullOrEmpty(request.Description) ? g.Description : request.Description },
            cancellationToken).ConfigureAwait(false);
        return updated is null ? Outcome<Group>.Refuse(Refusal.Conflict, $"Group {id} changed status while the request was handled; try again.") : updated;
    }

    public async Task<Outcome<Group>> DeleteAsync(Caller caller, string id, bool deleteVolumes, CancellationToken cancellationToken)
    {
        var group = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return NotFound<Group>(id);
        }

        if (group.BackendHost is { } backend && NotReady(backend) is { } notReady)
        {
            return Outcome<Group>.Refuse(Refusal.Conflict, $"Cannot delete group {group.Id}: {notReady}");
        }

        // Cinder deletes a group never placed at once; with delete-volumes it accepts any status but the transitional ones.
        GroupStatus[] expected = group.Host is null ? [GroupStatus.Creating, GroupStatus.Error, GroupStatus.Available]
            : deleteVolumes ? [GroupStatus.Available, GroupStatus.Error, GroupStatus.ErrorDeleting] : Deletable;
        if (!expected.Contains(group.Status))
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: Group status must be available or error, but current status is: {group.Status.ToWireName()}.");
        }

        var claim = await groups.TryBeginDeleteAsync(group.Id, expected, deleteVolumes, cancellationToken).ConfigureAwait(false);
        if (claim.Refusal is { } reason)
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: {reason}");
        }

        if (claim.Deleting is not { } deleting)
        {
            return Outcome<Group>.Refuse(Refusal.Conflict, $"Group {group.Id} changed status while the request was handled; try again.");
        }

        if (deleting.BackendHost is null)
        {
            await groups.TryRemoveAsync(deleting.Id, GroupStatus.Deleting, cancellationToken).ConfigureAwait(false);
            return deleting;
        }

        var (groupBefore, volumesBefore) = claim.Before!.Value;
        await bus.SendOrUndoAsync(
            Queues.Volume(deleting.BackendHost),
            new DeleteGroup(deleting.Id),
            async ct =>
            {
                foreach (var volume in volumesBefore)
                {
                    await volumes.TryUpdateAsync(volume.Id, [VolumeStatus.Deleting], v => v with { Status = volume.Status, ErrorReason = volume.ErrorReason }, ct).ConfigureAwait(false);
                }

                await groups.TryUpdateAsync(deleting.Id, [GroupStatus.Deleting], g => g with { Status = groupBefore.Status, ErrorReason = groupBefore.ErrorReason }, ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        return deleting;
    }

    /// <summary>Admin (3.20): sets the status without touching the backend, as Cinder's <c>reset_status</c>.</summary>
    public async Task<Outcome<Group>> ResetStatusAsync(Caller caller, string id, string? status, CancellationToken cancellationToken)
    {
        if (!GroupStatusNames.TryParse(status, out var target))
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group status: {status}; valid statuses are {string.Join(", ", Enum.GetValues<GroupStatus>().Select(s => s.ToWireName()))}.");
        }

        var group = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return NotFound<Group>(id);
        }

        var updated = await groups.TryUpdateAsync(group.Id, [group.Status], g => g with { Status = target, ErrorReason = null }, cancellationToken).ConfigureAwait(false);
        return updated is null ? Outcome<Group>.Refuse(Refusal.Conflict, $"Group {id} changed status while the request was handled; try again.") : updated;
    }

    /// <summary>
    /// For a volume create that names a group (3.13): the group, when the caller sees it, it is
    /// <c>available</c> on a backend, and the volume's type is one of its types (Cinder's checks); else the refusal.
    /// </summary>
    public async Task<Outcome<Group>> CheckNewMemberAsync(Caller caller, string groupId, VolumeType type, bool typeGiven, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        var group = await FindAsync(caller, groupId, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return NotFound<Group>(groupId);
        }

        if (!typeGiven)
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, "Invalid input received: volume_type must be provided when creating a volume in a group.");
        }

        if (!group.VolumeTypeIds.Contains(type.Id))
        {
            return Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid input received: Invalid volume_type provided: {type.Id} (requested type must be supported by this group).");
        }

        return group.Status != GroupStatus.Available || group.Host is null
            ? Outcome<Group>.Refuse(Refusal.BadRequest, $"Invalid group: Group {groupId} status must be available, but current status is: {group.Status.ToWireName()}.")
            : group;
    }

    /// <summary>The group, when it exists and the caller sees it.</summary>
    public async Task<Group?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var group = await groups.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return group is not null && caller.Sees(group.ProjectId) ? group : null;
    }

    private static Outcome<T> NotFound<T>(string id) => Outcome<T>.Refuse(Refusal.NotFound, $"Group {id} could not be found.");

    /// <summary>Cinder's comma-separated volume id lists (<c>"id1,id2"</c>), blanks dropped.</summary>
    private static List<string> SplitIds(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Null when the backend takes requests; otherwise why not, naming its state.</summary>
    private string? NotReady(string backendHost)
    {
        var state = backends.Find(backendHost);
        if (state is null)
        {
            return $"Backend {backendHost} is not known to this service.";
        }

        return state.State.IsSchedulable() ? null : VolumeManager.NotReadyReason(state);
    }
}

/// <summary>The fields of a group create (<c>POST /groups</c>).</summary>
public sealed record GroupCreateRequest(string GroupType, IReadOnlyList<string> VolumeTypes, string? Name, string? Description, string? AvailabilityZone);

/// <summary>The fields of a group update (<c>PUT /groups/{id}</c>); the volume lists are comma-separated ids.</summary>
public sealed record GroupUpdateRequest(string? Name, string? Description, string? AddVolumes, string? RemoveVolumes);

/// <summary>The fields of a group create from a source (<c>create-from-src</c>): exactly one of the two ids.</summary>
public sealed record GroupFromSourceRequest(string? GroupSnapshotId, string? SourceGroupId, string? Name, string? Description);
