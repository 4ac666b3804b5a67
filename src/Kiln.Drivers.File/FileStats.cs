using Kiln.Core.Drivers;
using Kiln.Drivers.File.Native;

namespace Kiln.Drivers.File;

/// <summary>
/// Stats of a file backend from the real filesystem: capacity and free space from statvfs (DriveInfo),
/// allocated = blocks the volume and snapshot files really use, provisioned = the volumes' virtual sizes.
/// </summary>
internal static class FileStats
{
    private const double BytesPerGb = 1L << 30;

    public static BackendStats Build(string backendName, FileOptions options, VolumeFiles files)
    {
        var drive = new DriveInfo(options.Directory);
        long allocated = 0;
        long provisioned = 0;
        foreach (var file in files.Volumes())
        {
            allocated += Allocated(file.Path);
            provisioned += Quietly(file.VirtualSize);
        }

        foreach (var file in files.Snapshots())
        {
            allocated += Allocated(file.Path);
        }

        return new BackendStats
        {
            VolumeBackendName = options.BackendDisplayName,
            VendorName = "Kiln",
            StorageProtocol = options.Format == VolumeFormat.Raw ? "iSCSI" : "file",
            Pools =
            [
                new PoolStats
                {
                    PoolName = backendName,
                    TotalCapacityGb = Gb(drive.TotalSize),
                    FreeCapacityGb = Gb(drive.AvailableFreeSpace),
                    AllocatedCapacityGb = Gb(allocated),
                    ProvisionedCapacityGb = Gb(provisioned),
                    ReservedPercentage = options.Reserved,
                    MaxOverSubscriptionRatio = options.OverSubscriptionRatio,
                    ThinProvisioningSupport = true,
                    ThickProvisioningSupport = false,
                    Capabilities = new Dictionary<string, string>
                    {
                        ["volume_format"] = options.Format.Name(),

                        // Several attachments per volume: one target per volume, every attached initiator granted.
                        ["multiattach"] = "True",

                        // As Cinder drivers report it: the type's QoS specs reach the driver, which ignores them.
                        ["QoS_support"] = "False",

                        // An attached raw volume grows and its iSCSI LUN is re-created at the new size; a qcow2 file
                        // is held open (and locked) by the QEMU that attached it, which must grow it itself.
                        // Group snapshots are taken as one set (FileDriver.SnapshotSets), as Cinder's capability means.
                        ["consistent_group_snapshot_enabled"] = "True",

                        ["online_extend_support"] = options.Format == VolumeFormat.Raw ? "True" : "False",
                    },
                },
            ],
        };
    }

    private static long Allocated(string path) => FileStatus.Of(path)?.AllocatedBytes ?? 0;

    private static long Quietly(Func<long> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            // Deleted between listing and reading, or not a readable image: one bad file must not fail
            // the backend's stats (and with them the backend); it simply does not count.
            return 0;
        }
    }

    // Two decimals: a few MiB of a fresh sparse file should still show.
    private static double Gb(long bytes) => Math.Round(bytes / BytesPerGb, 2);
}
