using System.Collections.Concurrent;
using Kiln.Core.Volumes;

namespace Kiln.Server.Groups;

/// <summary>
/// The volume role's part of groups: carries out what the API has claimed (a group or group snapshot
/// in a transitional status, its members too) through the <see cref="VolumeManager"/>, member by member
/// or, for a group snapshot, as one set, then gives the group its final status from its members'.
/// Nothing is left transitional: a failed member makes the group <c>error</c> / <c>error_deleting</c>.
/// </summary>
public sealed partial class GroupManager(IGroupRepository groups, VolumeManager manager, ILogger<GroupManager> logger)
{
    private static readonly GroupStatus[] Creating = [GroupStatus.Creating];
    private static readonly GroupStatus[] Deleting = [GroupStatus.Deleting];

    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);

    /// <summary>Whether an operation on this group or group snapshot runs in this process now.</summary>
    public bool IsInFlight(string id) => inFlight.ContainsKey(id);

    public Task DeleteGroupAsync(string groupId, CancellationToken cancellationToken) =>
        RunAsync(groupId, async () =>
        {
            if (await groups.FindAsync(groupId, cancellationToken).ConfigureAwait(false) is not { Status: GroupStatus.Deleting })
            {
                return;
            }

            foreach (var volume in await groups.ListVolumesAsync(groupId, cancellationToken).ConfigureAwait(false))
            {
                if (volume.Status == VolumeStatus.Deleting)
                {
                    await manager.DeleteVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
                }
            }

            await FinishDeleteAsync(groupId, cancellationToken).ConfigureAwait(false);
        });

    public Task CreateFromSourceAsync(string groupId, CancellationToken cancellationToken) =>
        RunAsync(groupId, async () =>
        {
            if (await groups.FindAsync(groupId, cancellationToken).ConfigureAwait(false) is not { Status: GroupStatus.Creating })
            {
                return;
            }

            foreach (var volume in await groups.ListVolumesAsync(groupId, cancellationToken).ConfigureAwait(false))
            {
                if (volume.Status == VolumeStatus.Creating)
                {
                    await manager.CreateVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
                }
            }

            var failed = (await groups.ListVolumesAsync(groupId, cancellationToken).ConfigureAwait(false)).Where(v => v.Status != VolumeStatus.Available).ToList();
            var reason = failed.Count == 0 ? null : $"{failed.Count} volume(s) of the group could not be created: {string.Join(", ", failed.Select(v => $"{v.Id} ({v.Status.ToWireName()})"))}.";
            await EndAsync(groupId, reason, cancellationToken).ConfigureAwait(false);
        });

    public Task CreateGroupSnapshotAsync(string groupSnapshotId, CancellationToken cancellationToken) =>
        RunAsync(groupSnapshotId, async () =>
        {
            if (await groups.FindSnapshotAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false) is not { Status: GroupStatus.Creating })
            {
                return;
            }

            var members = await groups.ListMembersAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false);
            await manager.CreateSnapshotSetAsync([.. members.Where(s => s.Status == SnapshotStatus.Creating).Select(s => s.Id)], cancellationToken).ConfigureAwait(false);

            var failed = (await groups.ListMembersAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false)).Where(s => s.Status != SnapshotStatus.Available).ToList();
            var reason = failed.Count == 0 ? null : failed[0].ErrorReason ?? $"{failed.Count} snapshot(s) of the group snapshot were not taken.";
            var status = reason is null ? GroupStatus.Available : GroupStatus.Error;
            if (reason is not null)
            {
                LogFailed(logger, groupSnapshotId, status.ToWireName(), reason);
            }

            await groups.TryUpdateSnapshotAsync(groupSnapshotId, Creating, s => s with { Status = status, ErrorReason = reason }, cancellationToken).ConfigureAwait(false);
        });

    public Task DeleteGroupSnapshotAsync(string groupSnapshotId, CancellationToken cancellationToken) =>
        RunAsync(groupSnapshotId, async () =>
        {
            if (await groups.FindSnapshotAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false) is not { Status: GroupStatus.Deleting })
            {
                return;
            }

            foreach (var snapshot in await groups.ListMembersAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false))
            {
                if (snapshot.Status == SnapshotStatus.Deleting)
                {
                    await manager.DeleteSnapshotAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
                }
            }

            await FinishSnapshotDeleteAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Removes a group in <c>deleting</c> whose volumes are gone; otherwise it becomes <c>error_deleting</c> naming them.</summary>
    internal async Task FinishDeleteAsync(string groupId, CancellationToken cancellationToken)
    {
        if (await groups.TryRemoveAsync(groupId, GroupStatus.Deleting, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var left = await groups.ListVolumesAsync(groupId, cancellationToken).ConfigureAwait(false);
        var reason = $"{left.Count} volume(s) of the group could not be deleted: {string.Join(", ", left.Select(v => $"{v.Id} ({v.Status.ToWireName()})"))}.";
        LogFailed(logger, groupId, GroupStatus.ErrorDeleting.ToWireName(), reason);
        await groups.TryUpdateAsync(groupId, Deleting, g => g with { Status = GroupStatus.ErrorDeleting, ErrorReason = reason }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a group snapshot in <c>deleting</c> whose snapshots are gone; otherwise it becomes <c>error_deleting</c>.</summary>
    internal async Task FinishSnapshotDeleteAsync(string groupSnapshotId, CancellationToken cancellationToken)
    {
        if (await groups.TryRemoveSnapshotAsync(groupSnapshotId, GroupStatus.Deleting, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var left = await groups.ListMembersAsync(groupSnapshotId, cancellationToken).ConfigureAwait(false);
        var reason = $"{left.Count} snapshot(s) of the group snapshot could not be deleted: {string.Join(", ", left.Select(s => $"{s.Id} ({s.Status.ToWireName()})"))}.";
        LogFailed(logger, groupSnapshotId, GroupStatus.ErrorDeleting.ToWireName(), reason);
        await groups.TryUpdateSnapshotAsync(groupSnapshotId, Deleting, s => s with { Status = GroupStatus.ErrorDeleting, ErrorReason = reason }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EndAsync(string groupId, string? reason, CancellationToken cancellationToken)
    {
        var status = reason is null ? GroupStatus.Available : GroupStatus.Error;
        if (reason is not null)
        {
            LogFailed(logger, groupId, status.ToWireName(), reason);
        }

        await groups.TryUpdateAsync(groupId, Creating, g => g with { Status = status, ErrorReason = reason }, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string id, Func<Task> operation)
    {
        if (!inFlight.TryAdd(id, 0))
        {
            return; // The same request delivered twice: the first delivery owns it.
        }

        try
        {
            await operation().ConfigureAwait(false);
        }
        finally
        {
            inFlight.TryRemove(id, out _);
        }
    }

    [LoggerMessage(2102, LogLevel.Warning, "{Id}: {Status}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string id, string status, string reason);
}
