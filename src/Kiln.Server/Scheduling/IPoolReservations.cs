using Kiln.Core.Drivers;
using Kiln.Core.Volumes;

namespace Kiln.Server.Scheduling;

/// <summary>
/// Placement accounting every scheduler shares: a volume is placed on a pool by one database write that
/// also checks the pool's room, counted from the volumes the database records on it. Each scheduler also
/// counts its own placements in memory (<see cref="PoolSource"/>) to choose well between stats; that
/// count cannot see another scheduler's placements, so two schedulers placing at once could together
/// overshoot a pool. This check can: on PostgreSQL the placements on one pool take turns (a transaction
/// lock on the pool's name), on SQLite every write of a process already does, and the database file is
/// shared by one writer at a time.
/// </summary>
internal interface IPoolReservations
{
    /// <summary>
    /// Records <paramref name="read"/> (still <c>creating</c> on no pool) as placed on <paramref name="pool"/>
    /// when the pool's recorded volumes and this one fit in <paramref name="ceilingGb"/>; otherwise nothing changes.
    /// </summary>
    Task<PoolReservation> TryPlaceAsync(Volume read, string pool, double ceilingGb, CancellationToken cancellationToken);

    /// <summary>
    /// Records the group <paramref name="groupId"/> (still <c>creating</c> on no pool) as <c>available</c> on
    /// <paramref name="pool"/> when <paramref name="neededGb"/> more fit in the pool's room as the database records
    /// it (a group whose pool another node has filled could take no volume); otherwise nothing changes.
    /// <c>Placed</c> is always null: the caller re-reads the group.
    /// </summary>
    Task<PoolReservation> TryPlaceGroupAsync(string groupId, string pool, int neededGb, double ceilingGb, CancellationToken cancellationToken);
}

/// <summary>What a placement write did: the placed volume, or null with the GB the database records on the pool (no room) or none (another request moved the volume).</summary>
internal sealed record PoolReservation(Volume? Placed, long ProvisionedGb, bool NoRoom);

/// <summary>The most a pool may hold, in GB, by Cinder's capacity rules.</summary>
internal static class PoolCeiling
{
    /// <summary>
    /// Thin: total × <c>max_over_subscription_ratio</c> (Cinder's provisioned-ratio check); thick: total less
    /// <c>reserved_percentage</c>. A pool that reports no finite positive total is not limited here.
    /// </summary>
    public static double Of(PoolStats stats, bool thin)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (!double.IsFinite(stats.TotalCapacityGb) || stats.TotalCapacityGb <= 0)
        {
            return double.PositiveInfinity;
        }

        return thin
            ? stats.TotalCapacityGb * Math.Max(1.0, stats.MaxOverSubscriptionRatio)
            : stats.TotalCapacityGb * (1 - (stats.ReservedPercentage / 100.0));
    }
}
