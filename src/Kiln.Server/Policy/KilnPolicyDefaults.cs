namespace Kiln.Server.Policy;

/// <summary>
/// Kiln's own rules and defaults, registered beside Cinder's. Like Cinder Zed's os-services rules
/// they are <c>rule:admin_api</c> with no scope types and no deprecated predecessor; keep
/// eng/policy/oslo-decisions.py's KILN_RULES in step.
/// </summary>
internal static class KilnPolicyDefaults
{
    public static IReadOnlyList<PolicyDefault> All { get; } =
    [
        new(KilnPolicyRules.ServicesReinit, "rule:admin_api"),
        new(KilnPolicyRules.ServicesLifecycle, "rule:admin_api"),
    ];
}
