namespace Kiln.Core.Drivers;

/// <summary>The default group snapshot of a driver that snapshots one volume at a time.</summary>
public static class SnapshotSets
{
    /// <summary>
    /// Takes <paramref name="snapshots"/> one after another. When one fails, those already taken are
    /// deleted (best effort, never cancelled half-way) and the failure is thrown: a set is all or nothing,
    /// so a group snapshot in error leaves no stray snapshot files behind.
    /// </summary>
    public static async Task TakeOneByOneAsync(IVolumeDriver driver, IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(snapshots);
        var taken = new List<SnapshotRef>(snapshots.Count);
        try
        {
            foreach (var snapshot in snapshots)
            {
                await driver.CreateSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
                taken.Add(snapshot);
            }
        }
        catch (Exception) when (taken.Count > 0)
        {
            await UndoAsync(driver, taken).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task UndoAsync(IVolumeDriver driver, List<SnapshotRef> taken)
    {
        foreach (var snapshot in taken)
        {
#pragma warning disable CA1031 // The original failure is what the caller must see; a failed undo is left for the snapshot's own delete.
            try
            {
                await driver.DeleteSnapshotAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }
    }
}
