using Kiln.Core.Errors;

namespace Kiln.Core.Lifecycle;

/// <summary>What a backend does after a failed initialization attempt.</summary>
public enum AfterFailure
{
    /// <summary>Schedule another re-initialization.</summary>
    Retry,

    /// <summary>The budget is spent: wait for an operator.</summary>
    GiveUp,

    /// <summary>Never retry automatically.</summary>
    Stop,
}

/// <summary>The budget arithmetic of <c>reinit_driver_count</c>, kept pure so it can be tested at the edges.</summary>
public static class ReinitPolicy
{
    /// <summary>Decides the next step after a failure of <paramref name="kind"/> when <paramref name="used"/> re-initializations of <paramref name="budget"/> (0 = unlimited) are spent.</summary>
    public static AfterFailure Decide(FailureKind kind, int used, int budget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(used);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        if (kind == FailureKind.Unrecoverable)
        {
            return AfterFailure.Stop;
        }

        return budget == 0 || used < budget ? AfterFailure.Retry : AfterFailure.GiveUp;
    }

    /// <summary>Counts one more re-initialization, saturating at <see cref="int.MaxValue"/> so unlimited budgets never wrap negative.</summary>
    public static int Increment(int used) => used == int.MaxValue ? int.MaxValue : used + 1;
}
