namespace Kiln.Core.Scheduling;

/// <summary>
/// Cinder's CapacityWeigher with the default multiplier: the pool with the most room wins, which
/// spreads volumes. Thin pools count virtual free capacity, thick ones free minus reserved.
/// </summary>
internal static class CapacityWeigher
{
    public static double Weigh(PoolCandidate pool, bool thickRequested) =>
        Capacity.IsThin(pool.Stats, thickRequested) ? Capacity.VirtualFreeGb(pool.Stats) : Capacity.FreeGb(pool.Stats);
}
