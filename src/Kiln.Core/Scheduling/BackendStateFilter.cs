using System.Globalization;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Scheduling;

/// <summary>Only ready and degraded backends take new volumes (DESIGN §4).</summary>
internal sealed class BackendStateFilter(DateTimeOffset now) : IPoolFilter
{
    public bool Passes(PoolCandidate pool) => pool.State.IsSchedulable();

    public string? Exclude(PoolCandidate pool)
    {
        if (Passes(pool))
        {
            return null;
        }

        var state = pool.State.ToWireName();
        var reason = string.IsNullOrEmpty(pool.StateReason) ? state : $"{state} ({pool.StateReason})";
        return pool.State switch
        {
            BackendState.Failed when pool.NextAttemptAt is { } next => $"{reason}, {NextAttempt(next)}",
            BackendState.GaveUp or BackendState.Unrecoverable => $"{reason}, waiting for an operator",
            _ => reason,
        };
    }

    private string NextAttempt(DateTimeOffset next)
    {
        var remaining = next - now;
        if (remaining <= TimeSpan.Zero)
        {
            return "next attempt now";
        }

        // Rounded up: "in 0 s" would read as due while the attempt is still ahead.
        var seconds = (remaining.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return string.Create(CultureInfo.InvariantCulture, $"next attempt in {seconds} s");
    }
}
