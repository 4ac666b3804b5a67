namespace Kiln.Server.Policy;

/// <summary>One <c>"name": "rule"</c> entry of a policy file; <paramref name="Line"/> is 1-based, or null when unknown (JSON).</summary>
internal sealed record PolicyFileRule(string Name, string Rule, int? Line = null);
