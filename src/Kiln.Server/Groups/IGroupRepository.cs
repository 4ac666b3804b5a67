using Kiln.Core.Volumes;

namespace Kiln.Server.Groups;

/// <summary>
/// Group types, groups and group snapshots. Status changes are conditional on the status read, like
/// volumes'; the claims that move a group (or group snapshot) and its members together are one write.
/// </summary>
public interface IGroupRepository
{
    Task<IReadOnlyList<GroupType>> ListTypesAsync(CancellationToken cancellationToken);

    /// <summary>By id, or by name when no id matches.</summary>
    Task<GroupType?> FindTypeAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Adds a type; false when the name is taken.</summary>
    Task<bool> TryAddTypeAsync(GroupType type, CancellationToken cancellationToken);

    /// <summary>Updates the non-null fields; null when the type does not exist or the new name is taken by another type.</summary>
    Task<GroupType?> UpdateTypeAsync(string id, string? name, string? description, bool? isPublic, CancellationToken cancellationToken);

    /// <summary>Removes the type unless groups use it.</summary>
    Task<TypeWriteOutcome> RemoveTypeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sets (adds or overwrites) group specs; false when the type does not exist.</summary>
    Task<bool> SetSpecsAsync(string id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken);

    /// <summary>Removes one group spec; <see cref="TypeWriteOutcome.NotFound"/> when the type or the key does not exist.</summary>
    Task<TypeWriteOutcome> UnsetSpecAsync(string id, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the group after taking the project's quota lock and checking one more group against
    /// <paramref name="check"/> (Cinder's <c>groups</c> quota), in one transaction; the denial, or null when added.
    /// </summary>
    Task<Quotas.QuotaDenial?> AddAsync(Group group, Quotas.QuotaCheck check, CancellationToken cancellationToken);

    Task<Group?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>The groups of a project (all projects when <paramref name="projectId"/> is null), newest first.</summary>
    Task<IReadOnlyList<Group>> ListAsync(string? projectId, CancellationToken cancellationToken);

    /// <summary>Groups placed on <paramref name="backendHost"/> (<c>host@backend</c>, any pool).</summary>
    Task<IReadOnlyList<Group>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken);

    /// <summary>Groups in <c>creating</c> that no scheduler has placed.</summary>
    Task<IReadOnlyList<Group>> ListUnscheduledAsync(CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> only if the stored status is one of <paramref name="expected"/>; null when another request won or the group is gone.</summary>
    Task<Group?> TryUpdateAsync(string id, IReadOnlyCollection<GroupStatus> expected, Func<Group, Group> change, CancellationToken cancellationToken);

    /// <summary>Removes the group only if its status is <paramref name="expected"/> and no volume belongs to it.</summary>
    Task<bool> TryRemoveAsync(string id, GroupStatus expected, CancellationToken cancellationToken);

    /// <summary>The volumes whose <c>group_id</c> is <paramref name="groupId"/>.</summary>
    Task<IReadOnlyList<Volume>> ListVolumesAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the group to <c>deleting</c> and, with <paramref name="deleteVolumes"/>, its volumes too, in one
    /// write: refused (with Cinder's reason) when the group is not in <paramref name="expected"/>, has group
    /// snapshots, holds volumes without <paramref name="deleteVolumes"/>, or holds a volume that cannot be deleted.
    /// </summary>
    Task<GroupClaim> TryBeginDeleteAsync(string id, IReadOnlyCollection<GroupStatus> expected, bool deleteVolumes, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <c>group_id</c> of <paramref name="add"/> to the group and clears it on <paramref name="remove"/>,
    /// in one write, only while the group is <c>available</c> and every volume is still in the status
    /// read by the caller (the statuses of the records given). False when another request changed any of them.
    /// </summary>
    Task<bool> TryChangeMembersAsync(string id, IReadOnlyList<Volume> add, IReadOnlyList<Volume> remove, CancellationToken cancellationToken);

    Task AddSnapshotAsync(GroupSnapshot snapshot, CancellationToken cancellationToken);

    Task<GroupSnapshot?> FindSnapshotAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupSnapshot>> ListSnapshotsAsync(string? projectId, CancellationToken cancellationToken);

    /// <summary>Group snapshots of groups placed on <paramref name="backendHost"/>.</summary>
    Task<IReadOnlyList<GroupSnapshot>> ListSnapshotsByBackendAsync(string backendHost, CancellationToken cancellationToken);

    /// <summary>The snapshots taken as part of the group snapshot <paramref name="id"/>.</summary>
    Task<IReadOnlyList<Snapshot>> ListMembersAsync(string id, CancellationToken cancellationToken);

    Task<GroupSnapshot?> TryUpdateSnapshotAsync(string id, IReadOnlyCollection<GroupStatus> expected, Func<GroupSnapshot, GroupSnapshot> change, CancellationToken cancellationToken);

    /// <summary>Removes the group snapshot only if its status is <paramref name="expected"/> and none of its snapshots remains.</summary>
    Task<bool> TryRemoveSnapshotAsync(string id, GroupStatus expected, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the group snapshot and its snapshots to <c>deleting</c> in one write; refused when it is not in
    /// <paramref name="expected"/> or a volume is being created from one of its snapshots.
    /// </summary>
    Task<GroupSnapshotClaim> TryBeginDeleteSnapshotAsync(string id, IReadOnlyCollection<GroupStatus> expected, CancellationToken cancellationToken);
}

/// <summary>The claimed group, or why it was refused (null reason and null group: the status changed meanwhile).</summary>
public sealed record GroupClaim(Group? Deleting, string? Refusal = null)
{
    /// <summary>The group and its volumes as read under the claim, before it moved them (put back when the message cannot be sent).</summary>
    public (Group Group, IReadOnlyList<Volume> Volumes)? Before { get; init; }
}

/// <summary>The claimed group snapshot, or why it was refused.</summary>
public sealed record GroupSnapshotClaim(GroupSnapshot? Deleting, string? Refusal = null)
{
    /// <summary>The group snapshot and its snapshots as read under the claim, before it moved them.</summary>
    public (GroupSnapshot GroupSnapshot, IReadOnlyList<Snapshot> Snapshots)? Before { get; init; }
}
