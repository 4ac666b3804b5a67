namespace Kiln.Server.Policy;

/// <summary>What one decision reads: the rules (for <c>rule:NAME</c>), the caller and the target.</summary>
internal readonly record struct PolicyEvaluation(PolicyRuleSet Rules, PolicyCredentials Credentials, IReadOnlyDictionary<string, string?> Target);
