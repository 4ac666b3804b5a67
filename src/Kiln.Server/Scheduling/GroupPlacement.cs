using Kiln.Core.Scheduling;
using Kiln.Core.Volumes;
using Kiln.Server.Groups;

namespace Kiln.Server.Scheduling;

/// <summary>
/// The scheduler's part of a group create (Cinder's <c>create_group</c> in the filter scheduler): a
/// backend whose pools pass the filters for every volume type of the group, and whose pool's capabilities
/// satisfy the group type's specs. The group then becomes
/// <c>available</c> on it: creating a generic group needs nothing of the driver. When no backend fits,
/// the group ends in <c>error</c> with the scheduler's reason.
/// </summary>
internal sealed partial class GroupPlacement(
    IGroupRepository groups,
    IVolumeTypeRepository types,
    PoolSource pools,
    TimeProvider timeProvider,
    ILogger<GroupPlacement> logger)
{
    public const string InterruptedReason = "Group scheduling was interrupted by a service restart; create the group again.";

    private static readonly GroupStatus[] Creating = [GroupStatus.Creating];
    private readonly VolumeScheduler scheduler = new();

    public async Task PlaceAsync(string groupId, CancellationToken cancellationToken)
    {
        var group = await groups.FindAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (group is not { Status: GroupStatus.Creating, Host: null })
        {
            return;
        }

        var requests = new List<PlacementRequest>();
        foreach (var typeId in group.VolumeTypeIds)
        {
            var type = await types.FindStoredAsync(typeId, cancellationToken).ConfigureAwait(false);
            requests.Add(new PlacementRequest
            {
                SizeGb = 1,
                AvailabilityZone = group.AvailabilityZone,
                ExtraSpecs = type?.ExtraSpecs ?? new Dictionary<string, string>(),
            });
        }

        // The group type's specs are matched against the chosen backend's pool capabilities as Cinder's
        // CapabilitiesFilter matches them for a group (consistent_group_snapshot_enabled="<is> True" needs a
        // pool that reports it); checked after the volume types, on the backend they chose.
        if (requests.Count > 0 && (await groups.FindTypeAsync(group.GroupTypeId, cancellationToken).ConfigureAwait(false))?.GroupSpecs is { Count: > 0 } groupSpecs)
        {
            requests.Add(new PlacementRequest { SizeGb = 1, AvailabilityZone = group.AvailabilityZone, ExtraSpecs = groupSpecs });
        }

        string? host = null;
        string? reason = null;
        lock (pools.Placing)
        {
            var now = timeProvider.GetUtcNow();
            var candidates = pools.Candidates();
            foreach (var request in requests)
            {
                // The first type chooses; every other type must fit on the same backend.
                var result = scheduler.Place(host is null ? request : request with { RequiredBackendHost = host }, candidates, now);
                if (result is Placed placed)
                {
                    host ??= placed.Pool.Name;
                }
                else
                {
                    reason = string.Join("; ", [((NoValidBackend)result).Message, .. pools.DisabledExclusions()]);
                    break;
                }
            }
        }

        if (reason is null && host is not null)
        {
            await groups.TryUpdateAsync(group.Id, Creating, g => g with { Host = host, Status = GroupStatus.Available, ErrorReason = null }, cancellationToken).ConfigureAwait(false);
            return;
        }

        reason ??= "The group has no volume type to place.";
        LogNoValidBackend(logger, group.Id, reason);
        await groups.TryUpdateAsync(group.Id, Creating, g => g with { Status = GroupStatus.Error, ErrorReason = SchedulerWorker.Shorten(reason) }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(2101, LogLevel.Warning, "Group {GroupId}: {Message}")]
    private static partial void LogNoValidBackend(ILogger logger, string groupId, string message);
}
