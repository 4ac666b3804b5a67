using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Takes a row's write lock (a no-op UPDATE) before a decision that reads other rows. On an engine with
/// row locks at read committed (PostgreSQL), a conditional UPDATE that waited for another transaction
/// re-checks only its own row, and its NOT EXISTS sub-queries keep the view from before the wait; a
/// statement that starts after the lock sees everything the holder committed. So a claim that inserts a
/// dependent (snapshot, clone, volume of a type) and a claim that needs no dependents (delete, spec
/// change) both lock the same parent row first: whichever locks second decides on what the first did.
/// With SQLite every write of the process already runs one after another; the lock costs one statement.
/// </summary>
internal static class RowLocks
{
    /// <summary>Locks the volume's row; false when it does not exist or (given <paramref name="requiredStatus"/>) is not in that status.</summary>
    public static async Task<bool> VolumeAsync(KilnDbContext db, string id, string? requiredStatus, CancellationToken cancellationToken)
    {
        var rows = requiredStatus is null ? db.Volumes.Where(v => v.Id == id) : db.Volumes.Where(v => v.Id == id && v.Status == requiredStatus);
        return await rows.ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, v => v.Status), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Locks the snapshot's row; false when it does not exist or (given <paramref name="requiredStatus"/>) is not in that status.</summary>
    public static async Task<bool> SnapshotAsync(KilnDbContext db, string id, string? requiredStatus, CancellationToken cancellationToken)
    {
        var rows = requiredStatus is null ? db.Snapshots.Where(s => s.Id == id) : db.Snapshots.Where(s => s.Id == id && s.Status == requiredStatus);
        return await rows.ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, s => s.Status), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Locks the volume type's row; false when it does not exist.</summary>
    public static async Task<bool> VolumeTypeAsync(KilnDbContext db, string id, CancellationToken cancellationToken) =>
        await db.VolumeTypes.Where(t => t.Id == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.Name, t => t.Name), cancellationToken).ConfigureAwait(false) > 0;
}
