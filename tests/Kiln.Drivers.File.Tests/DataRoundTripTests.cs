using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Tests;

/// <summary>Real files, real qemu-io: data written before a snapshot is what snapshots and clones hold.</summary>
public sealed class DataRoundTripTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task SnapshotThenOverwrite_CloneFromSnapshot_HoldsTheDataOfTheSnapshot(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", format), format, 0xab);

        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", format), format, 0xcd);
        var update = await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 2), snapshot, FileTestBed.Token);

        update.ProviderLocation.ShouldBe(bed.VolumePath("clone1", format));
        (await Tool.HoldsPatternAsync(bed.VolumePath("clone1", format), format, 0xab)).ShouldBeTrue();
        (await Tool.HoldsPatternAsync(bed.SnapshotPath("snap1", format), format, 0xab)).ShouldBeTrue();
        (await Tool.HoldsPatternAsync(bed.VolumePath("vol1", format), format, 0xcd)).ShouldBeTrue();
        (await Tool.HoldsPatternAsync(bed.VolumePath("vol1", format), format, 0xab)).ShouldBeFalse("the oracle must be able to fail");

        // Made at 2 GB from a 1 GB snapshot: extended.
        (await Tool.VirtualSizeAsync(bed.VolumePath("clone1", format))).ShouldBe(2 * FileTestBed.Gb);
        (await Tool.VirtualSizeAsync(bed.SnapshotPath("snap1", format))).ShouldBe(FileTestBed.Gb);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task CreateCloneAsync_LargerThanSource_CopiesCurrentDataAndExtends(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        var source = new VolumeRef("src", 1);
        await driver.CreateVolumeAsync(source, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("src", format), format, 0x5a);

        await driver.CreateCloneAsync(new VolumeRef("copy", 3), source, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("src", format), format, 0x11);

        (await Tool.HoldsPatternAsync(bed.VolumePath("copy", format), format, 0x5a)).ShouldBeTrue();
        (await Tool.VirtualSizeAsync(bed.VolumePath("copy", format))).ShouldBe(3 * FileTestBed.Gb);
    }

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_Qcow2_IsAThinOverlayOnTheSnapshotFile()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "qcow2"), "qcow2", 0xab);
        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);

        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 1), snapshot, FileTestBed.Token);

        (await Tool.BackingFileAsync(bed.VolumePath("clone1", "qcow2"))).ShouldBe("snapshot-snap1.qcow2");
        (await Tool.BackingFileAsync(bed.SnapshotPath("snap1", "qcow2"))).ShouldBeNull("snapshots are standalone images");
        (await Tool.AllocatedBytesAsync(bed.VolumePath("clone1", "qcow2"))).ShouldBeLessThan(FileTestBed.Mb, "the overlay holds no data of its own");
    }

    [Fact]
    public async Task NewDriverInstance_AfterRestart_SeesEveryVolumeAndSnapshot()
    {
        var first = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("vol1", 1);
        await first.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "qcow2"), "qcow2", 0xab);
        await first.CreateSnapshotAsync(new SnapshotRef("snap1", volume), FileTestBed.Token);

        // The operator switches the backend to raw; existing qcow2 files keep their format.
        var second = await bed.ReadyDriverAsync(("file_volume_format", "raw"));
        await second.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 1), new SnapshotRef("snap1", volume), FileTestBed.Token);
        await second.CreateVolumeAsync(new VolumeRef("fresh", 1), FileTestBed.Token);

        (await Tool.HoldsPatternAsync(bed.VolumePath("clone1", "qcow2"), "qcow2", 0xab)).ShouldBeTrue();
        System.IO.File.Exists(bed.VolumePath("fresh", "raw")).ShouldBeTrue();
        var stats = await second.GetStatsAsync(FileTestBed.Token);
        stats.Pools.Single().ProvisionedCapacityGb.ShouldBe(3.0);
    }
}
