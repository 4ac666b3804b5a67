namespace Kiln.Core.Scheduling;

/// <summary>
/// No pool can take the volume. <paramref name="Message"/> is the volume's error reason as users see
/// it; <paramref name="Exclusions"/> holds every pool, in name order, with why it was excluded.
/// </summary>
public sealed record NoValidBackend(string Message, IReadOnlyList<Exclusion> Exclusions) : PlacementResult;
