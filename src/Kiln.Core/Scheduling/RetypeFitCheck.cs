namespace Kiln.Core.Scheduling;

/// <summary>
/// Whether a volume can take a new type where it is (Cinder's retype without migration): its own pool
/// must satisfy every capability the new type's extra specs ask for, as the capabilities filter judges
/// a new volume. Capacity does not change: the volume keeps its size and its place.
/// </summary>
public static class RetypeFitCheck
{
    /// <summary>Null when <paramref name="pool"/> satisfies <paramref name="extraSpecs"/>; otherwise why not, in the filter's words.</summary>
    public static string? Exclusion(PoolCandidate pool, IReadOnlyDictionary<string, string> extraSpecs)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(extraSpecs);
        return CapabilitiesFilter.For(extraSpecs)?.Exclude(pool);
    }
}
