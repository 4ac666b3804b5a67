namespace Kiln.Core.Scheduling;

/// <summary>The outcome of placing a volume: <see cref="Placed"/> or <see cref="NoValidBackend"/>.</summary>
public abstract record PlacementResult;
