using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Saves a change guarded by concurrency tokens and reports whether it was this request that won.</summary>
internal static class ConditionalWrite
{
    /// <summary>True when the guarded UPDATE matched its row; false when another request changed (or removed) it first.</summary>
    public static async Task<bool> SaveAsync(KilnDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
