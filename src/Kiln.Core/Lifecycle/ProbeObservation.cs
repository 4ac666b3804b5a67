namespace Kiln.Core.Lifecycle;

/// <summary>What a backend's readiness probe last said, and when: an operator reads it as "storage reachable or not".</summary>
public sealed record ProbeObservation(DateTimeOffset At, bool IsReady, string? Reason);
