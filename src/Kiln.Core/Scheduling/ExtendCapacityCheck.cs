namespace Kiln.Core.Scheduling;

/// <summary>
/// Cinder's capacity filter for an extend: the pool must take the growth (new size minus current
/// size), thick against free space and thin under the over-subscription ratio, exactly as a new
/// volume of that size would (Cinder passes <c>new_size</c> to <c>backend_passes_filters</c>).
/// </summary>
public static class ExtendCapacityCheck
{
    /// <summary>Null when <paramref name="pool"/> takes <paramref name="growthGb"/> more; otherwise why not, in the capacity filter's words.</summary>
    public static string? Exclusion(PoolCandidate pool, int growthGb, IReadOnlyDictionary<string, string> extraSpecs)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(extraSpecs);
        return new CapacityFilter(growthGb, ProvisioningType.IsThickRequested(extraSpecs)).Exclude(pool);
    }
}
