using System.Collections.Concurrent;
using Kiln.Core.Drivers;

namespace Kiln.Core.Volumes;

/// <summary>
/// Volumes each backend's storage holds that no record knows, as found at the backend's last initialization
/// (<see cref="TransitionalResourceCleaner"/>). Reported (log, <c>kiln_orphan_volume_files</c>, <c>kiln orphans</c>),
/// never deleted: they are someone's data until an operator decides otherwise.
/// </summary>
public sealed class OrphanVolumeFiles
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<StoredVolume>> byBackend = new(StringComparer.Ordinal);

    /// <summary>Orphans per backend (<c>host@backend</c>); only backends whose driver can list its volumes.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<StoredVolume>> ByBackend => byBackend;

    public void Record(string backendHost, IReadOnlyList<StoredVolume> orphans) => byBackend[backendHost] = orphans;

    /// <summary>The volumes of <paramref name="inventory"/> that have no record, on this backend or any other.</summary>
    public static async Task<IReadOnlyList<StoredVolume>> FindAsync(
        IVolumeInventory inventory, IVolumeRepository volumes, string backendHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(volumes);

        // The storage first: a record is written before its volume is created, so any volume listed here
        // already has its record when the records are read next.
        var stored = await inventory.ListVolumesAsync(cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            return [];
        }

        var known = (await volumes.ListByBackendAsync(backendHost, cancellationToken).ConfigureAwait(false)).Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<StoredVolume>();
        foreach (var volume in stored.Where(s => !known.Contains(s.Id)))
        {
            // A directory shared by two backends holds the other's volumes too: only a volume no record names is an orphan.
            if (await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false) is null)
            {
                orphans.Add(volume);
            }
        }

        return orphans;
    }
}
