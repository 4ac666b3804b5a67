using System.Collections.Frozen;

namespace Kiln.Server.Policy;

/// <summary>
/// Decides rules (oslo.policy's Enforcer.enforce). <see cref="Authorize"/> returns false when denied;
/// unknown rule names fall back to the <c>default</c> rule like oslo.policy (denied when there is none).
/// With <c>enforce_scope</c>, a rule whose scope types exclude the token's scope (system or project) is denied.
/// Built by <see cref="PolicyEnforcerLoader"/>; immutable and safe to share between requests.
/// </summary>
internal sealed class PolicyEnforcer
{
    // The caller's own fields, which Cinder's check_is_admin passes as the target.
    private static readonly string[] SelfTargetFields =
        ["user_id", "project_id", "user_domain_id", "project_domain_id", "domain_id", "system_scope", "is_admin", "is_admin_project"];

    private readonly PolicyRuleSet rules;
    private readonly FrozenDictionary<string, IReadOnlyList<string>> scopeTypes;
    private readonly bool enforceScope;

    internal PolicyEnforcer(
        PolicyRuleSet rules, IEnumerable<PolicyDefault> registered, bool enforceScope, string? policyFile, IReadOnlyList<string> warnings)
    {
        this.rules = rules;
        this.enforceScope = enforceScope;
        scopeTypes = registered
            .Where(r => r.ScopeTypes is { Count: > 0 })
            .ToFrozenDictionary(r => r.Name, r => r.ScopeTypes!, StringComparer.Ordinal);
        PolicyFile = policyFile;
        Warnings = warnings;
    }

    /// <summary>The policy file whose rules override the defaults, or null when only defaults apply.</summary>
    public string? PolicyFile { get; }

    /// <summary>Things an operator should know, one line each (references to undefined rules, renamed rules overridden under their old name).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether <paramref name="credentials"/> may do <paramref name="rule"/> on <paramref name="target"/> (e.g. <c>{"project_id": …}</c>).</summary>
    public bool Authorize(string rule, PolicyCredentials credentials, IReadOnlyDictionary<string, string?> target)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(target);

        if (rules.Resolve(rule) is not { } check)
        {
            return false;
        }

        if (enforceScope && scopeTypes.TryGetValue(rule, out var scopes) && !scopes.Contains(TokenScope(credentials), StringComparer.Ordinal))
        {
            return false;
        }

        return check.Evaluate(new PolicyEvaluation(rules, credentials, target));
    }

    /// <summary>
    /// Cinder's <c>check_is_admin</c>: the <c>context_is_admin</c> rule (default <c>role:admin</c>)
    /// with the caller's own fields as the target; what <see cref="PolicyCredentials.IsAdmin"/> should be set to.
    /// </summary>
    public bool IsContextAdmin(PolicyCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var self = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in SelfTargetFields)
        {
            CredentialFields.TryGetScalar(credentials, field, out var value);
            self[field] = value;
        }

        return Authorize(CinderPolicyRules.ContextIsAdmin, credentials, self);
    }

    // oslo.policy's _enforce_scope: Kiln has no domain-scoped tokens, so system or project.
    private static string TokenScope(PolicyCredentials credentials) => credentials.SystemScopeAll ? "system" : "project";
}
