namespace Kiln.Core.Errors;

/// <summary>
/// The single place that decides whether a driver failure is worth retrying. Drivers only throw;
/// they never decide retry policy.
/// </summary>
public static class DriverErrorClassifier
{
    /// <summary>Classifies <paramref name="exception"/>; anything not known to be unrecoverable is recoverable.</summary>
    public static FailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FindUnrecoverable(exception) is null ? FailureKind.Recoverable : FailureKind.Unrecoverable;
    }

    /// <summary>
    /// The exception that explains the failure best: the unrecoverable one when a wrapper
    /// (AggregateException, TargetInvocationException, a driver's own DriverException) hides it,
    /// otherwise the failure itself with single-exception aggregates unwrapped.
    /// </summary>
    public static Exception RootCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (FindUnrecoverable(exception) is { } unrecoverable)
        {
            return unrecoverable;
        }

        var current = exception;
        while (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            current = aggregate.InnerExceptions[0];
        }

        while (current is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            current = inner;
        }

        return current;
    }

    private static UnrecoverableDriverException? FindUnrecoverable(Exception exception, int depth = 0)
    {
        // Depth guard: exception graphs are trees in practice, but a hostile driver could build a cycle.
        if (depth > 32)
        {
            return null;
        }

        switch (exception)
        {
            case UnrecoverableDriverException unrecoverable:
                return unrecoverable;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindUnrecoverable(inner, depth + 1) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return exception.InnerException is { } innerException ? FindUnrecoverable(innerException, depth + 1) : null;
        }
    }
}
