namespace Kiln.Core.Drivers;

/// <summary>
/// Implemented by drivers that can cheaply tell whether their storage is reachable. While a backend is
/// failed, Kiln probes on <c>reinit_probe_interval</c> and re-initializes as soon as the probe says ready.
/// A probe must be cheap, side-effect free and quick: it is not an attempt and costs no budget.
/// </summary>
public interface IReadinessProbe
{
    /// <summary>Reports whether an initialization attempt now has a chance to succeed.</summary>
    Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>The answer of a readiness probe, with the reason when not ready.</summary>
public readonly record struct ProbeResult(bool IsReady, string? Reason)
{
    /// <summary>Storage is reachable.</summary>
    public static ProbeResult Ready { get; } = new(true, null);

    /// <summary>Storage is not reachable, for <paramref name="reason"/>.</summary>
    public static ProbeResult NotReady(string reason) => new(false, reason);
}
