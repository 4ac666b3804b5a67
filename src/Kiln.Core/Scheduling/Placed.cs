namespace Kiln.Core.Scheduling;

/// <summary>The volume goes to <paramref name="Pool"/>.</summary>
public sealed record Placed(PoolCandidate Pool) : PlacementResult;
