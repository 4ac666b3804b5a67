using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Tests;

/// <summary>Real files, real qemu-io: a revert puts the snapshot's data back, at the volume's size.</summary>
public sealed class RevertTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task Revert_AfterOverwriteAndExtend_HoldsTheSnapshotsDataAtTheVolumesSize(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", format), format, 0xab);
        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", format), format, 0xcd);
        await driver.ExtendVolumeAsync(volume, 2, FileTestBed.Token);

        await driver.RevertToSnapshotAsync(volume with { SizeGb = 2 }, snapshot, FileTestBed.Token);

        (await Tool.HoldsPatternAsync(bed.VolumePath("vol1", format), format, 0xab)).ShouldBeTrue();
        (await Tool.VirtualSizeAsync(bed.VolumePath("vol1", format))).ShouldBe(2 * FileTestBed.Gb);
        (await Tool.HoldsPatternAsync(bed.SnapshotPath("snap1", format), format, 0xab)).ShouldBeTrue();
        Directory.GetFiles(bed.VolumesDir, "*.part").ShouldBeEmpty();

        // Repeated (a revert resumed after a crash): same result.
        await driver.RevertToSnapshotAsync(volume with { SizeGb = 2 }, snapshot, FileTestBed.Token);
        (await Tool.HoldsPatternAsync(bed.VolumePath("vol1", format), format, 0xab)).ShouldBeTrue();
    }
}
