using System.Collections.ObjectModel;

namespace Kiln.Core.Scheduling;

/// <summary>What a new volume needs from the pool it is placed on.</summary>
public sealed record PlacementRequest
{
    /// <summary>Size in GiB; at least 1.</summary>
    public required int SizeGb { get; init; }

    /// <summary>The availability zone the volume must be in; null or empty for any.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>
    /// The volume type's extra specs. Unscoped and <c>capabilities:</c> keys are matched against pool
    /// capabilities; <c>provisioning:type</c> (thin or thick) chooses how capacity is counted.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// For a volume created from a snapshot or cloned from a volume: the source's backend
    /// (<c>host@backend</c>); any pool of it is acceptable. A <c>#pool</c> suffix is ignored.
    /// </summary>
    public string? RequiredBackendHost { get; init; }

    /// <summary>Whether the volume is thin on a pool with <paramref name="stats"/>: the pool supports it and the type does not ask for thick.</summary>
    public bool IsThinOn(Drivers.PoolStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return Capacity.IsThin(stats, ProvisioningType.IsThickRequested(ExtraSpecs));
    }
}
