using System.Diagnostics.CodeAnalysis;

namespace Kiln.Core.Scheduling;

/// <summary>
/// Places a new volume on a pool: filters (state, source backend, zone, capabilities, capacity), then
/// the pool with the most free capacity, ties to the lowest pool name. Deterministic; thread-safe.
/// </summary>
public sealed class VolumeScheduler
{
    /// <summary>
    /// Chooses the pool for <paramref name="request"/> among <paramref name="pools"/>, reading
    /// <paramref name="now"/> only to say when a failed backend tries again.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The requested size is below 1 GB.</exception>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Callers hold a scheduler so that weigher options can arrive without changing them.")]
    public PlacementResult Place(PlacementRequest request, IReadOnlyList<PoolCandidate> pools, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pools);
        if (request.SizeGb < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.SizeGb, "SizeGb must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(request.ExtraSpecs, nameof(request));

        var filters = FilterChain.For(request, now);
        var thickRequested = ProvisioningType.IsThickRequested(request.ExtraSpecs);
        PoolCandidate? best = null;
        var bestWeight = 0.0;
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i] ?? throw new ArgumentException($"Pool candidate {i} is null.", nameof(pools));
            if (!filters.Passes(pool))
            {
                continue;
            }

            var weight = CapacityWeigher.Weigh(pool, thickRequested);
            if (best is null || weight > bestWeight || (weight == bestWeight && PoolNames.Compare(pool, best) < 0))
            {
                best = pool;
                bestWeight = weight;
            }
        }

        return best is null ? NoValidBackendReport.Build(pools, filters) : new Placed(best);
    }
}
