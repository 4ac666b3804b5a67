namespace Kiln.Core.Scheduling;

/// <summary>Why the pool named <paramref name="Pool"/> (<c>host@backend#pool</c>) could not take a volume.</summary>
public sealed record Exclusion(string Pool, string Reason);
