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
    IPoolReservations reservations,
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

        string? reason = null;
        var full = new HashSet<string>(StringComparer.Ordinal);
        var fullReasons = new List<string>();
        while (requests.Count > 0)
        {
            var (chosen, noValid) = Choose(requests, full);
            if (chosen is null)
            {
                reason = string.Join("; ", [noValid!, .. fullReasons, .. pools.DisabledExclusions()]);
                break;
            }

            // The choice above counts only this scheduler's placements; the database counts every node's
            // volumes on the pool: a pool another node has filled gets no group (its volumes could not go there).
            var thin = requests[0].IsThinOn(chosen.Stats);
            var ceiling = PoolCeiling.Of(chosen.Stats, thin);
            var needed = requests[0].SizeGb;
            var reservation = await reservations.TryPlaceGroupAsync(group.Id, chosen.Name, needed, ceiling, cancellationToken).ConfigureAwait(false);
            if (!reservation.NoRoom)
            {
                return;
            }

            PoolRoomLog.GroupPoolFull(logger, group.Id, chosen.Name, reservation.ProvisionedGb, needed, ceiling);
            full.Add(chosen.Name);
            fullReasons.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{chosen.Name}: no room ({reservation.ProvisionedGb} GB recorded on it by every node, {needed} GB more would pass its {ceiling:0.##} GB)"));
        }

        reason ??= "The group has no volume type to place.";
        LogNoValidBackend(logger, group.Id, reason);
        await groups.TryUpdateAsync(group.Id, Creating, g => g with { Status = GroupStatus.Error, ErrorReason = SchedulerWorker.Shorten(reason) }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pool every request fits on (the first type chooses, the others must fit on its backend), or why none does.</summary>
    private (PoolCandidate? Pool, string? NoValid) Choose(List<PlacementRequest> requests, HashSet<string> full)
    {
        lock (pools.Placing)
        {
            var now = timeProvider.GetUtcNow();
            var candidates = pools.Candidates();
            if (full.Count > 0)
            {
                candidates.RemoveAll(c => full.Contains(c.Name));
            }

            PoolCandidate? chosen = null;
            foreach (var request in requests)
            {
                var result = scheduler.Place(chosen is null ? request : request with { RequiredBackendHost = chosen.Name }, candidates, now);
                if (result is not Placed placed)
                {
                    return (null, ((NoValidBackend)result).Message);
                }

                chosen ??= placed.Pool;
            }

            return (chosen, null);
        }
    }

    [LoggerMessage(2101, LogLevel.Warning, "Group {GroupId}: {Message}")]
    private static partial void LogNoValidBackend(ILogger logger, string groupId, string message);
}
