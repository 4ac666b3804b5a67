namespace Kiln.Core.Scheduling;

/// <summary>When the request names an availability zone, only pools in it qualify.</summary>
internal sealed class AvailabilityZoneFilter(string wanted) : IPoolFilter
{
    public bool Passes(PoolCandidate pool) => string.Equals(pool.AvailabilityZone, wanted, StringComparison.Ordinal);

    public string? Exclude(PoolCandidate pool) =>
        Passes(pool) ? null : $"in availability zone {pool.AvailabilityZone}, not {wanted}";
}
