namespace Kiln.Core.Scheduling;

/// <summary>The outcome of the capacity check; everything but <see cref="Fits"/> excludes the pool.</summary>
internal enum CapacityVerdict
{
    Fits,

    /// <summary>Total capacity zero, negative or not a finite number; or free/provisioned not a number.</summary>
    NoCapacity,

    /// <summary>Free minus reserved is below the size (thick), or not above zero (thin).</summary>
    InsufficientFree,

    /// <summary>Thin: the provisioned ratio would exceed <c>max_over_subscription_ratio</c>.</summary>
    OverSubscribed,

    /// <summary>Thin: within the ratio, but not once the reserved part is set aside.</summary>
    InsufficientVirtualFree,

    /// <summary>Thin: a ratio below 1 (or not finite), which Cinder also refuses.</summary>
    InvalidOverSubscriptionRatio,
}
