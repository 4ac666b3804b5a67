using Kiln.Core.Drivers;

namespace Kiln.Drivers.File;

/// <summary>
/// Group snapshots as a consistent set: the locks of every member volume (and snapshot) are taken
/// first, so no extend, delete, clone or other snapshot of a member runs between the first copy and the
/// last; then each is copied; then all are released. A failure removes the copies already made.
/// </summary>
internal sealed partial class FileDriver
{
    public async Task CreateSnapshotSetAsync(IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshots);

        // KeyedLocks takes keys in ordinal order, so sets that share volumes cannot deadlock each other or a clone.
        var keys = snapshots.SelectMany(s => new[] { files.SnapshotKey(s.Id), files.VolumeKey(s.Volume.Id) });
        using var held = await KeyedLocks.AcquireAsync(keys, cancellationToken).ConfigureAwait(false);

        // Every member must exist before anything is copied: a missing one fails the set without writing.
        foreach (var snapshot in snapshots)
        {
            RequireVolume(snapshot.Volume.Id);
        }

        var written = new List<string>(snapshots.Count);
        try
        {
            foreach (var snapshot in snapshots)
            {
                if (await TakeSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false) is { } path)
                {
                    written.Add(path);
                }
            }
        }
        catch (Exception) when (written.Count > 0)
        {
            foreach (var path in written)
            {
                Delete(path);
            }

            throw;
        }

        Log.SnapshotSetTaken(logger, context.BackendName, snapshots.Count);
    }
}
