using System.Diagnostics;

namespace Kiln.Core.Scheduling;

/// <summary>The filters of one request, in order: state, required backend, zone, capabilities, capacity.</summary>
internal sealed class FilterChain
{
    private readonly IPoolFilter[] filters;

    private FilterChain(IPoolFilter[] filters) => this.filters = filters;

    public static FilterChain For(PlacementRequest request, DateTimeOffset now)
    {
        var filters = new List<IPoolFilter>(5) { new BackendStateFilter(now) };
        if (!string.IsNullOrEmpty(request.RequiredBackendHost))
        {
            filters.Add(new RequiredBackendFilter(request.RequiredBackendHost));
        }

        if (!string.IsNullOrEmpty(request.AvailabilityZone))
        {
            filters.Add(new AvailabilityZoneFilter(request.AvailabilityZone));
        }

        if (CapabilitiesFilter.For(request.ExtraSpecs) is { } capabilities)
        {
            filters.Add(capabilities);
        }

        filters.Add(new CapacityFilter(request.SizeGb, ProvisioningType.IsThickRequested(request.ExtraSpecs)));
        return new FilterChain([.. filters]);
    }

    public bool Passes(PoolCandidate pool)
    {
        foreach (var filter in filters)
        {
            if (!filter.Passes(pool))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The reason of the first filter the pool fails; null when it passes them all.</summary>
    public string? Explain(PoolCandidate pool)
    {
        foreach (var filter in filters)
        {
            if (filter.Exclude(pool) is { } reason)
            {
                Debug.Assert(!filter.Passes(pool), "A filter that passes a pool must not exclude it.");
                return reason;
            }
        }

        return null;
    }
}
