namespace Kiln.Core.Scheduling;

/// <summary>One capability a volume type asks for: the capability's name and the requirement on its value.</summary>
internal sealed class CapabilityRequirement(string capability, ExtraSpecMatcher matcher)
{
    private readonly PoolCapability source = PoolCapabilities.Resolve(capability);

    /// <summary>The capability name, without a <c>capabilities:</c> scope.</summary>
    public string Capability { get; } = capability;

    /// <summary>The requirement on the value, as the volume type states it.</summary>
    public string Requirement => matcher.Requirement;

    public bool IsMetBy(PoolCandidate pool) =>
        PoolCapabilities.ValueOf(pool, source, Capability) is { } value && matcher.Matches(value);

    public string Describe(PoolCandidate pool) =>
        PoolCapabilities.ValueOf(pool, source, Capability) is { } value
            ? $"capability {Capability} is \"{value}\", wanted \"{matcher.Requirement}\""
            : $"capability {Capability} not reported";
}
