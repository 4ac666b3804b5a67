namespace Kiln.Server.Messaging;

/// <summary>
/// How often and how soon a rejected message is delivered again before it is dead-lettered. The backoff
/// doubles from <see cref="InitialBackoff"/> up to <see cref="MaxBackoff"/>: a handler that fails because the
/// database is briefly unavailable gets it back, a message that can never succeed stops after a bounded
/// time (about 7.5 s with the defaults) instead of cycling for ever.
/// </summary>
public sealed record RedeliveryPolicy
{
    /// <summary>The policy of a running node.</summary>
    public static RedeliveryPolicy Default { get; } = new();

    /// <summary>Deliveries in all, the first included, before the message is dead-lettered (at least 1).</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>The wait before the second delivery.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two deliveries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a delivery that failed as the <paramref name="deliveryCount"/>-th is the last one.</summary>
    public bool IsExhausted(int deliveryCount) => deliveryCount >= MaxDeliveries;

    /// <summary>The wait after the <paramref name="deliveryCount"/>-th delivery failed: initial·2^(count−1), capped, without overflow.</summary>
    public TimeSpan BackoffAfter(int deliveryCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deliveryCount, 1);
        if (InitialBackoff <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // 2^62 ticks is already beyond any cap; stop doubling before the shift or the product overflows.
        var exponent = Math.Min(deliveryCount - 1, 62);
        var factor = 1L << exponent;
        return InitialBackoff.Ticks > MaxBackoff.Ticks / factor ? MaxBackoff : TimeSpan.FromTicks(InitialBackoff.Ticks * factor);
    }
}
