namespace Kiln.Server.Policy;

/// <summary>
/// A rule as a service registers it (oslo.policy's RuleDefault): its name, default check string,
/// the token scopes it is meant for (empty: any), and the rule it replaces, if any.
/// </summary>
internal sealed record PolicyDefault(string Name, string CheckString, IReadOnlyList<string>? ScopeTypes = null, DeprecatedPolicyRule? Deprecated = null);

/// <summary>
/// The rule a <see cref="PolicyDefault"/> replaces (oslo.policy's DeprecatedRule): until
/// <c>enforce_new_defaults</c> is set a changed default is decided as <c>(new) or (old)</c>, and an
/// operator's override of a renamed rule's old name still applies.
/// </summary>
internal sealed record DeprecatedPolicyRule(string Name, string CheckString);
