namespace Kiln.Core.Drivers;

/// <summary>
/// Implemented by drivers that can list the volumes their storage holds. Kiln compares the list with its
/// records at each initialization to report volumes no record knows (orphans: a database lost or restored
/// from an old backup); it never deletes them.
/// </summary>
public interface IVolumeInventory
{
    /// <summary>Every volume on the storage, by id, with where it is (a path, a LUN name).</summary>
    Task<IReadOnlyList<StoredVolume>> ListVolumesAsync(CancellationToken cancellationToken);
}

/// <summary>One volume as the storage holds it: its id and where it is.</summary>
public sealed record StoredVolume(string Id, string Location);
