namespace Kiln.Core.Scheduling;

/// <summary>
/// Cinder's CapabilitiesFilter: every unscoped or <c>capabilities:</c>-scoped extra spec must match
/// what the pool reports; other scopes (<c>provisioning:</c>, <c>qos:</c>, vendor scopes) are for others.
/// </summary>
internal sealed class CapabilitiesFilter : IPoolFilter
{
    private const string Scope = "capabilities:";

    private readonly CapabilityRequirement[] requirements;

    private CapabilitiesFilter(CapabilityRequirement[] requirements) => this.requirements = requirements;

    /// <summary>The filter for these extra specs, or null when none of them concerns capabilities.</summary>
    public static CapabilitiesFilter? For(IReadOnlyDictionary<string, string> extraSpecs)
    {
        var requirements = new List<CapabilityRequirement>();
        foreach (var (key, requirement) in extraSpecs)
        {
            if (CapabilityOf(key) is not { } capability)
            {
                continue;
            }

            if (requirement is null)
            {
                throw new ArgumentException($"Extra spec {key} has no value.", nameof(extraSpecs));
            }

            requirements.Add(new CapabilityRequirement(capability, ExtraSpecMatcher.Parse(requirement)));
        }

        if (requirements.Count == 0)
        {
            return null;
        }

        // Dictionary order is not guaranteed: sort so that the reason names the same spec every time.
        requirements.Sort(static (x, y) =>
        {
            var byCapability = string.CompareOrdinal(x.Capability, y.Capability);
            return byCapability != 0 ? byCapability : string.CompareOrdinal(x.Requirement, y.Requirement);
        });
        return new CapabilitiesFilter([.. requirements]);
    }

    public bool Passes(PoolCandidate pool)
    {
        foreach (var requirement in requirements)
        {
            if (!requirement.IsMetBy(pool))
            {
                return false;
            }
        }

        return true;
    }

    public string? Exclude(PoolCandidate pool)
    {
        foreach (var requirement in requirements)
        {
            if (!requirement.IsMetBy(pool))
            {
                return requirement.Describe(pool);
            }
        }

        return null;
    }

    private static string? CapabilityOf(string key)
    {
        if (key.StartsWith(Scope, StringComparison.Ordinal))
        {
            return key[Scope.Length..];
        }

        return key.Contains(':', StringComparison.Ordinal) ? null : key;
    }
}
