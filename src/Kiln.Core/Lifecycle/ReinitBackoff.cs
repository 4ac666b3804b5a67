namespace Kiln.Core.Lifecycle;

/// <summary>Capped exponential backoff with ±20 % jitter for re-initialization attempts.</summary>
public static class ReinitBackoff
{
    /// <summary>Fraction of the delay that jitter may add or remove.</summary>
    public const double JitterFraction = 0.2;

    /// <summary>
    /// Delay before re-initialization <paramref name="attempt"/> (1-based):
    /// min(initial·2^(attempt−1), max), then scaled by 1 ± 20 % using <paramref name="jitterSample"/> in [0, 1).
    /// Safe for any attempt up to <see cref="int.MaxValue"/>: the exponent is clamped before it can overflow.
    /// </summary>
    public static TimeSpan Compute(int attempt, TimeSpan initial, TimeSpan max, double jitterSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitterSample, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitterSample, 1.0);

        // 2^62 ticks already exceeds any TimeSpan we accept, so clamping the exponent loses nothing.
        var exponent = Math.Min(attempt - 1, 62);
        var uncapped = initial.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(uncapped, max.Ticks);
        var factor = 1.0 + (((jitterSample * 2.0) - 1.0) * JitterFraction);
        return TimeSpan.FromTicks((long)(capped * factor));
    }
}
