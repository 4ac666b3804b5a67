using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault;

/// <summary>
/// One backend's volumes and snapshots, kept in memory with capacity accounting. Shared by every
/// driver instance of that backend so volumes survive re-initialization; lost when the process ends,
/// unless a <see cref="VolumeStoreFile"/> (<c>fault_state_file</c>) keeps a copy on disk.
/// </summary>
internal sealed class VolumeStore
{
    // One lock for everything: a capacity check and the allocation it guards must be one step.
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredSnapshot> snapshots = new(StringComparer.Ordinal);

    private readonly VolumeStoreFile? file;

    // long: a sum of int sizes can pass int.MaxValue.
    private long allocatedGb;

    public VolumeStore()
    {
    }

    /// <summary>A store that starts from <paramref name="file"/> and writes every change back to it.</summary>
    public VolumeStore(VolumeStoreFile file)
    {
        this.file = file;
        var (storedVolumes, storedSnapshots) = file.Load();
        foreach (var (id, sizeGb) in storedVolumes)
        {
            volumes.Add(id, sizeGb);
            allocatedGb += sizeGb;
        }

        foreach (var (id, (volumeId, sizeGb)) in storedSnapshots)
        {
            snapshots.Add(id, new StoredSnapshot(volumeId, sizeGb));
        }
    }

    public long AllocatedGb
    {
        get
        {
            lock (gate)
            {
                return allocatedGb;
            }
        }
    }

    /// <summary>The ids of the volumes held now.</summary>
    public IReadOnlyList<string> VolumeIds()
    {
        lock (gate)
        {
            return [.. volumes.Keys];
        }
    }

    public void CreateVolume(string id, int sizeGb, long capacityGb)
    {
        lock (gate)
        {
            Change(() => AddVolume(id, sizeGb, capacityGb));
        }
    }

    public void CreateFromSnapshot(string id, int sizeGb, string snapshotId, long capacityGb)
    {
        lock (gate)
        {
            if (!snapshots.TryGetValue(snapshotId, out var snapshot))
            {
                throw new DriverException($"snapshot {snapshotId} not found");
            }

            RequireAtLeast(sizeGb, snapshot.SizeGb, $"snapshot {snapshotId}");
            Change(() => AddVolume(id, sizeGb, capacityGb));
        }
    }

    public void CreateClone(string id, int sizeGb, string sourceId, long capacityGb)
    {
        lock (gate)
        {
            RequireAtLeast(sizeGb, SizeOf(sourceId), $"source volume {sourceId}");
            Change(() => AddVolume(id, sizeGb, capacityGb));
        }
    }

    public void DeleteVolume(string id)
    {
        lock (gate)
        {
            if (!volumes.TryGetValue(id, out var sizeGb))
            {
                return;
            }

            if (snapshots.Values.Any(s => s.VolumeId == id))
            {
                throw new DriverException($"volume {id} has dependent snapshots");
            }

            Change(() =>
            {
                volumes.Remove(id);
                allocatedGb -= sizeGb;
            });
        }
    }

    public void ExtendVolume(string id, int newSizeGb, long capacityGb)
    {
        lock (gate)
        {
            var sizeGb = SizeOf(id);
            if (newSizeGb <= sizeGb)
            {
                throw new DriverException($"cannot extend volume {id} to {newSizeGb} GB: new size must be larger than {sizeGb} GB");
            }

            Change(() =>
            {
                Reserve(newSizeGb - sizeGb, capacityGb);
                volumes[id] = newSizeGb;
            });
        }
    }

    public void CreateSnapshot(string snapshotId, string volumeId)
    {
        lock (gate)
        {
            var sizeGb = SizeOf(volumeId);
            if (snapshots.TryGetValue(snapshotId, out var existing))
            {
                // A retried request for the same snapshot succeeds; reusing its id for another volume does not.
                if (existing.VolumeId == volumeId)
                {
                    return;
                }

                throw new DriverException($"snapshot {snapshotId} already exists for volume {existing.VolumeId}");
            }

            Change(() => snapshots.Add(snapshotId, new StoredSnapshot(volumeId, sizeGb)));
        }
    }

    public void DeleteSnapshot(string snapshotId)
    {
        lock (gate)
        {
            if (snapshots.ContainsKey(snapshotId))
            {
                Change(() => snapshots.Remove(snapshotId));
            }
        }
    }

    /// <summary>The volume's size, or null when this store does not have it.</summary>
    public int? SizeGbOf(string id)
    {
        lock (gate)
        {
            return volumes.TryGetValue(id, out var sizeGb) ? sizeGb : null;
        }
    }

    /// <summary>Throws unless the volume exists.</summary>
    public void RequireVolume(string id)
    {
        lock (gate)
        {
            _ = SizeOf(id);
        }
    }

    // Runs one change (under the lock) and writes the state file; when the write fails the change is
    // undone, so the driver never reports a success its file does not record.
    private void Change(Action change)
    {
        if (file is null)
        {
            change();
            return;
        }

        var volumesBefore = new Dictionary<string, int>(volumes, StringComparer.Ordinal);
        var snapshotsBefore = new Dictionary<string, StoredSnapshot>(snapshots, StringComparer.Ordinal);
        var allocatedBefore = allocatedGb;
        change();
        try
        {
            file.Save(volumes, snapshots.Select(s => (s.Key, s.Value.VolumeId, s.Value.SizeGb)));
        }
        catch
        {
            Restore(volumes, volumesBefore);
            Restore(snapshots, snapshotsBefore);
            allocatedGb = allocatedBefore;
            throw;
        }
    }

    private static void Restore<T>(Dictionary<string, T> target, Dictionary<string, T> source)
    {
        target.Clear();
        foreach (var (key, value) in source)
        {
            target.Add(key, value);
        }
    }

    private void AddVolume(string id, int sizeGb, long capacityGb)
    {
        if (sizeGb < 1)
        {
            throw new DriverException($"cannot create volume {id} of {sizeGb} GB: size must be at least 1 GB");
        }

        if (volumes.TryGetValue(id, out var existing))
        {
            // A retried create (same id, same size) succeeds without allocating twice.
            if (existing == sizeGb)
            {
                return;
            }

            throw new DriverException($"volume {id} already exists with {existing} GB, {sizeGb} GB requested");
        }

        Reserve(sizeGb, capacityGb);
        volumes.Add(id, sizeGb);
    }

    private void Reserve(int sizeGb, long capacityGb)
    {
        var freeGb = Math.Max(0, capacityGb - allocatedGb);
        if (sizeGb > freeGb)
        {
            throw new DriverException($"insufficient capacity: {sizeGb} GB requested, {freeGb} GB free");
        }

        allocatedGb += sizeGb;
    }

    private int SizeOf(string volumeId) =>
        volumes.TryGetValue(volumeId, out var sizeGb) ? sizeGb : throw new DriverException($"volume {volumeId} not found");

    private static void RequireAtLeast(int sizeGb, int minimumGb, string what)
    {
        if (sizeGb < minimumGb)
        {
            throw new DriverException($"requested size {sizeGb} GB is smaller than {what} ({minimumGb} GB)");
        }
    }

    private readonly record struct StoredSnapshot(string VolumeId, int SizeGb);
}
