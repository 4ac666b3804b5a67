using System.Data.Common;

namespace Kiln.Server.Persistence;

/// <summary>
/// Failures that mean "another transaction got in the way, run me again": SQLSTATE 40001
/// (serialization failure) and 40P01 (deadlock detected). The engine rolled the whole transaction
/// back, so running the write again from the start is safe. SQLite never reports them: its writers
/// queue (busy timeout, <see cref="DatabaseWriter"/>) instead of deadlocking.
/// </summary>
internal static class TransactionConflicts
{
    /// <summary>How many times a write runs before its conflict goes to the caller.</summary>
    public const int MaxAttempts = 5;

    public static bool IsRetryable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { SqlState: "40001" or "40P01" })
            {
                return true;
            }
        }

        return false;
    }
}
