using Kiln.Core.Drivers;

namespace Kiln.Core.Scheduling;

/// <summary>The capacity arithmetic shared by the capacity filter and weigher, in GiB.</summary>
internal static class Capacity
{
    /// <summary>Whether a volume on this pool counts as thin: the pool supports it and the type does not ask for thick.</summary>
    public static bool IsThin(PoolStats stats, bool thickRequested) => stats.ThinProvisioningSupport && !thickRequested;

    /// <summary>The part of the pool kept back by <c>reserved_percentage</c>.</summary>
    public static double ReservedGb(PoolStats stats) => stats.TotalCapacityGb * stats.ReservedPercentage / 100.0;

    /// <summary>Free space a new volume may use: free minus reserved.</summary>
    public static double FreeGb(PoolStats stats) => stats.FreeCapacityGb - ReservedGb(stats);

    /// <summary>What thin provisioning may still promise: total·ratio − provisioned − reserved.</summary>
    public static double VirtualFreeGb(PoolStats stats) =>
        (stats.TotalCapacityGb * stats.MaxOverSubscriptionRatio) - stats.ProvisionedCapacityGb - ReservedGb(stats);
}
