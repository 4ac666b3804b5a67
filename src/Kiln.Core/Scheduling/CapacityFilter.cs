using System.Globalization;

namespace Kiln.Core.Scheduling;

/// <summary>
/// Cinder's CapacityFilter: thick volumes need real free space; thin ones need free space above
/// zero and room under the over-subscription ratio.
/// </summary>
internal sealed class CapacityFilter(int sizeGb, bool thickRequested) : IPoolFilter
{
    public bool Passes(PoolCandidate pool) => Check(pool) == CapacityVerdict.Fits;

    public string? Exclude(PoolCandidate pool)
    {
        var stats = pool.Stats;
        return Check(pool) switch
        {
            CapacityVerdict.Fits => null,
            CapacityVerdict.NoCapacity => "reports no capacity",
            CapacityVerdict.InsufficientFree => FormattableString.Invariant(
                $"insufficient free capacity: needs {sizeGb} GB, {Available(Capacity.FreeGb(stats))} GB free (reserved {stats.ReservedPercentage} %)"),
            CapacityVerdict.OverSubscribed => FormattableString.Invariant(
                $"over-subscription limit: provisioning {sizeGb} GB would make {Gb(stats.ProvisionedCapacityGb + sizeGb)}/{Gb(stats.TotalCapacityGb)} GB, limit ratio {Ratio(stats.MaxOverSubscriptionRatio)}"),
            CapacityVerdict.InsufficientVirtualFree => FormattableString.Invariant(
                $"insufficient virtual capacity: needs {sizeGb} GB, {Available(Capacity.VirtualFreeGb(stats))} GB virtual free (ratio {Ratio(stats.MaxOverSubscriptionRatio)}, reserved {stats.ReservedPercentage} %)"),
            CapacityVerdict.InvalidOverSubscriptionRatio => FormattableString.Invariant(
                $"max_over_subscription_ratio {Ratio(stats.MaxOverSubscriptionRatio)} is invalid for thin provisioning (at least 1.0)"),
            var other => throw new InvalidOperationException($"Unknown capacity verdict {other}."),
        };
    }

    internal CapacityVerdict Check(PoolCandidate pool)
    {
        var stats = pool.Stats;
        var total = stats.TotalCapacityGb;

        // Written as !(x > 0) so that NaN fails too: an unknown capacity must never look like room.
        if (!(total > 0) || double.IsPositiveInfinity(total) || !double.IsFinite(stats.FreeCapacityGb))
        {
            return CapacityVerdict.NoCapacity;
        }

        var free = Capacity.FreeGb(stats);
        if (!Capacity.IsThin(stats, thickRequested))
        {
            return free >= sizeGb ? CapacityVerdict.Fits : CapacityVerdict.InsufficientFree;
        }

        var ratio = stats.MaxOverSubscriptionRatio;
        if (!(ratio >= 1) || double.IsPositiveInfinity(ratio))
        {
            return CapacityVerdict.InvalidOverSubscriptionRatio;
        }

        if (!double.IsFinite(stats.ProvisionedCapacityGb))
        {
            return CapacityVerdict.NoCapacity;
        }

        if (!(free > 0))
        {
            return CapacityVerdict.InsufficientFree;
        }

        if ((stats.ProvisionedCapacityGb + sizeGb) / total > ratio)
        {
            return CapacityVerdict.OverSubscribed;
        }

        return Capacity.VirtualFreeGb(stats) >= sizeGb ? CapacityVerdict.Fits : CapacityVerdict.InsufficientVirtualFree;
    }

    private static string Gb(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Rounded down and never negative, so that the message never promises room that is not there.</summary>
    private static string Available(double value) => value <= 0 ? "0" : Gb(Math.Floor(value * 100) / 100);

    private static string Ratio(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
