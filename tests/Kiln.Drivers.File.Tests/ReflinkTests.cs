using System.Globalization;
using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Tests;

/// <summary>On a filesystem that shares extents (btrfs here), raw snapshots and clones are reflinks: no data is copied.</summary>
public sealed class ReflinkTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task CreateSnapshotAndClone_RawOnBtrfs_ShareExtentsAndTakeNoSpace()
    {
        // 100 MiB of data on a 256 MiB filesystem: two full copies would not even fit.
        await Mounts.MountLoopAsync(Path.Combine(bed.Root, "btrfs.img"), bed.VolumesDir, "btrfs", sizeMb: 256);
        var driver = await bed.ReadyDriverAsync();
        var volume = new VolumeRef("v1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.RunAsync("qemu-io", "-f", "raw", "-c", "write -P 0xab 0 100M", bed.VolumePath("v1", "raw"));
        var usedBefore = await UsedBytesAsync();

        await driver.CreateSnapshotAsync(new SnapshotRef("s1", volume), FileTestBed.Token);
        await driver.CreateCloneAsync(new VolumeRef("c1", 1), volume, FileTestBed.Token);

        (await UsedBytesAsync() - usedBefore).ShouldBeLessThan(8 * FileTestBed.Mb);
        (await Tool.RunAsync("filefrag", "-v", bed.SnapshotPath("s1", "raw"))).ShouldContain("shared");
        (await Tool.HoldsPatternAsync(bed.VolumePath("c1", "raw"), "raw", 0xab)).ShouldBeTrue();
        await Tool.WritePatternAsync(bed.VolumePath("v1", "raw"), "raw", 0xcd);
        (await Tool.HoldsPatternAsync(bed.SnapshotPath("s1", "raw"), "raw", 0xab)).ShouldBeTrue("a reflink is copy-on-write");
    }

    private async Task<long> UsedBytesAsync()
    {
        await Tool.RunAsync("sync", "-f", bed.VolumesDir);
        var fields = (await Tool.RunAsync("stat", "-f", "-c", "%S %b %f", bed.VolumesDir)).Split(' ', StringSplitOptions.TrimEntries)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return fields[0] * (fields[1] - fields[2]);
    }
}
