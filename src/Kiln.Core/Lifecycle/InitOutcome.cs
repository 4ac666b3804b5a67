using Kiln.Core.Errors;

namespace Kiln.Core.Lifecycle;

/// <summary>How one initialization attempt (setup, setup check, cleanup) ended; reported by <see cref="BackendHost.AttemptFinished"/>.</summary>
public enum InitOutcome
{
    /// <summary>Every step succeeded; the first stats call comes next.</summary>
    Success,

    /// <summary>A recoverable driver failure (other than a timeout).</summary>
    Recoverable,

    /// <summary>A configuration, not-supported or dependency error.</summary>
    Unrecoverable,

    /// <summary>The attempt did not finish within <c>driver_init_timeout</c> (a recoverable failure).</summary>
    Timeout,
}

/// <summary>Wire names and classification of <see cref="InitOutcome"/>.</summary>
public static class InitOutcomeExtensions
{
    /// <summary>The name used in metrics: success, recoverable, unrecoverable, timeout.</summary>
    public static string ToWireName(this InitOutcome outcome) => outcome switch
    {
        InitOutcome.Success => "success",
        InitOutcome.Recoverable => "recoverable",
        InitOutcome.Unrecoverable => "unrecoverable",
        InitOutcome.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The outcome of an attempt that failed with <paramref name="exception"/>.</summary>
    internal static InitOutcome OfFailure(Exception exception)
    {
        // The taxonomy first: a timeout is recoverable, so only the root cause tells it apart.
        if (DriverErrorClassifier.Classify(exception) == FailureKind.Unrecoverable)
        {
            return InitOutcome.Unrecoverable;
        }

        return DriverErrorClassifier.RootCause(exception) is DriverTimeoutException ? InitOutcome.Timeout : InitOutcome.Recoverable;
    }
}
