using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Saves tracked changes that may lose a race to a unique index, inside the <see cref="DatabaseWriter"/>'s
/// transaction. PostgreSQL aborts the whole transaction after a failed statement (SQLSTATE 25P02): catching
/// the failure and going on in the same transaction only failed again. Under a savepoint the refused insert
/// alone is rolled back and the transaction goes on, on every engine.
/// </summary>
internal static class Savepoints
{
    private const string Name = "kiln_try";

    /// <summary>
    /// Saves the changes; when a unique index or key refuses them, rolls back to before them, clears the
    /// change tracker and returns the refusal (null when saved). Any other failure goes to the caller.
    /// </summary>
    public static async Task<DbUpdateException?> TrySaveChangesAsync(KilnDbContext db, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A savepoint needs the transaction of the DatabaseWriter; run this inside DatabaseWriter.RunAsync.");
        await transaction.CreateSavepointAsync(Name, cancellationToken).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.ReleaseSavepointAsync(Name, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DbUpdateException ex) when (UniqueViolations.Is(ex))
        {
            await transaction.RollbackToSavepointAsync(Name, cancellationToken).ConfigureAwait(false);
            await transaction.ReleaseSavepointAsync(Name, cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return ex;
        }
    }
}
