using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary>Group snapshots: every member copied under all members' locks, or none left behind.</summary>
public sealed class SnapshotSetTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task CreateSnapshotSetAsync_TwoVolumes_BothSnapshotsWithTheirData()
    {
        var driver = await bed.ReadyDriverAsync();
        var first = new VolumeRef("vol1", 1);
        var second = new VolumeRef("vol2", 1);
        await driver.CreateVolumeAsync(first, FileTestBed.Token);
        await driver.CreateVolumeAsync(second, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "raw"), "raw", 0x11);
        await Tool.WritePatternAsync(bed.VolumePath("vol2", "raw"), "raw", 0x22);

        await driver.CreateSnapshotSetAsync([new SnapshotRef("snap1", first), new SnapshotRef("snap2", second)], FileTestBed.Token);

        (await Tool.DifferenceAsync(bed.SnapshotPath("snap1", "raw"), bed.VolumePath("vol1", "raw"), "raw")).ShouldBeNull();
        (await Tool.DifferenceAsync(bed.SnapshotPath("snap2", "raw"), bed.VolumePath("vol2", "raw"), "raw")).ShouldBeNull();
        bed.Logs.Lines.ShouldContain(m => m.Contains("group snapshot of 2 volumes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateSnapshotSetAsync_AMemberMissing_ThrowsAndWritesNoSnapshot()
    {
        var driver = await bed.ReadyDriverAsync();
        var present = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(present, FileTestBed.Token);

        await Should.ThrowAsync<DriverException>(() => driver.CreateSnapshotSetAsync([new SnapshotRef("snap1", present), new SnapshotRef("snap2", new VolumeRef("gone", 1))], FileTestBed.Token));

        System.IO.File.Exists(bed.SnapshotPath("snap1", "raw")).ShouldBeFalse();
        System.IO.File.Exists(bed.SnapshotPath("snap2", "raw")).ShouldBeFalse();
    }
}
