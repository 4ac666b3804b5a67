namespace Kiln.Core.Scheduling;

/// <summary>The filters of one request, in order: state, required backend, zone, capabilities, capacity.</summary>
internal sealed class FilterChain
{
    // Typed fields for the hot path (direct, inlinable calls); the array keeps the order for reasons.
    private readonly BackendStateFilter state;
    private readonly RequiredBackendFilter? requiredBackend;
    private readonly AvailabilityZoneFilter? zone;
    private readonly CapabilitiesFilter? capabilities;
    private readonly CapacityFilter capacity;
    private readonly IPoolFilter[] ordered;

    private FilterChain(PlacementRequest request, DateTimeOffset now)
    {
        state = new BackendStateFilter(now);
        requiredBackend = string.IsNullOrEmpty(request.RequiredBackendHost) ? null : new RequiredBackendFilter(request.RequiredBackendHost);
        zone = string.IsNullOrEmpty(request.AvailabilityZone) ? null : new AvailabilityZoneFilter(request.AvailabilityZone);
        capabilities = CapabilitiesFilter.For(request.ExtraSpecs);
        capacity = new CapacityFilter(request.SizeGb, ProvisioningType.IsThickRequested(request.ExtraSpecs));
        IPoolFilter?[] all = [state, requiredBackend, zone, capabilities, capacity];
        ordered = [.. all.OfType<IPoolFilter>()];
    }

    public static FilterChain For(PlacementRequest request, DateTimeOffset now) => new(request, now);

    /// <summary>
    /// Whether the pool passes every filter. The order only matters for <see cref="Explain"/>; here the
    /// arithmetic of capacity runs before the dictionary lookups of capabilities because it is cheaper.
    /// </summary>
    public bool Passes(PoolCandidate pool) =>
        state.Passes(pool)
        && (requiredBackend is null || requiredBackend.Passes(pool))
        && (zone is null || zone.Passes(pool))
        && capacity.Passes(pool)
        && (capabilities is null || capabilities.Passes(pool));

    /// <summary>The reason of the first filter the pool fails; null when it passes them all.</summary>
    public string? Explain(PoolCandidate pool)
    {
        foreach (var filter in ordered)
        {
            if (filter.Exclude(pool) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
