using Kiln.Server.Policy;

namespace Kiln.Server.Tests.Policy;

/// <summary>Enforcers built from policy file text held in memory.</summary>
internal static class PolicyTestEnforcers
{
    public const string Source = "/etc/kiln/policy.yaml";

    public static PolicyEnforcer WithFile(string yaml, bool enforceNewDefaults = false, bool enforceScope = false) =>
        PolicyEnforcerLoader.FromText(yaml, Source, enforceNewDefaults, enforceScope);
}
