using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary>Extend with qemu-img resize; stats checked against what stat(1) and statvfs say about the real files.</summary>
public sealed class StatsAndExtendTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task ExtendVolumeAsync_Larger_GrowsVirtualSizeKeepsDataAndAllocatesNothing(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", format), format, 0xab);
        var allocatedBefore = await Tool.AllocatedBytesAsync(bed.VolumePath("vol1", format));

        await driver.ExtendVolumeAsync(volume, 3, FileTestBed.Token);

        (await Tool.VirtualSizeAsync(bed.VolumePath("vol1", format))).ShouldBe(3 * FileTestBed.Gb);
        (await Tool.HoldsPatternAsync(bed.VolumePath("vol1", format), format, 0xab)).ShouldBeTrue();
        (await Tool.AllocatedBytesAsync(bed.VolumePath("vol1", format))).ShouldBeLessThan(allocatedBefore + FileTestBed.Mb);
    }

    [Theory]
    [InlineData("raw", "True", true)]
    [InlineData("qcow2", "False", false)]
    public async Task ExtendVolumeAsync_AttachedVolumes_RawRefreshesItsExportAndStatsSayWhichFormatsCan(string format, string online, bool refreshed)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);

        await driver.ExtendVolumeAsync(volume, 2, FileTestBed.Token);

        (await driver.GetStatsAsync(FileTestBed.Token)).Pools.Single().Capabilities["online_extend_support"].ShouldBe(online);
        bed.Exporter.Calls.Contains("refresh vol1").ShouldBe(refreshed);
    }

    [Fact]
    public async Task ExtendVolumeAsync_SameSizeAsTheFile_SucceedsAndChangesNothing()
    {
        // A retried extend whose first run resized the file and then lost its answer to a crash.
        var driver = await bed.ReadyDriverAsync();
        var volume = new VolumeRef("vol1", 2);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);

        await driver.ExtendVolumeAsync(volume, 2, FileTestBed.Token);

        (await Tool.VirtualSizeAsync(bed.VolumePath("vol1", "raw"))).ShouldBe(2 * FileTestBed.Gb);
    }

    [Fact]
    public async Task ExtendVolumeAsync_FileLargerThanAsked_RefusesNamingTheFileAndRecordedSizesAndChangesNothing()
    {
        var driver = await bed.ReadyDriverAsync();
        await driver.CreateVolumeAsync(new VolumeRef("vol1", 3), FileTestBed.Token);

        // The record still says 1 GB (an extend to 3 whose status write was lost); the user asks for 2.
        var error = await Should.ThrowAsync<DriverException>(() => driver.ExtendVolumeAsync(new VolumeRef("vol1", 1), 2, FileTestBed.Token));

        error.Message.ShouldBe(
            "cannot extend volume vol1 to 2 GB: its file is already 3 GB, larger than requested "
            + "(the recorded size 1 GB is out of step with the file; extend to more than 3 GB, files are never shrunk)");
        (await Tool.VirtualSizeAsync(bed.VolumePath("vol1", "raw"))).ShouldBe(3 * FileTestBed.Gb);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task GetVolumeSizeAsync_ExistingVolume_IsItsVirtualSizeAndNullWhenMissing(string format)
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", format));
        await driver.CreateVolumeAsync(new VolumeRef("vol1", 1), FileTestBed.Token);
        await driver.ExtendVolumeAsync(new VolumeRef("vol1", 1), 3, FileTestBed.Token);

        (await ((IVolumeDriver)driver).GetVolumeSizeAsync(new VolumeRef("vol1", 1), FileTestBed.Token)).ShouldBe(3 * FileTestBed.Gb);
        (await ((IVolumeDriver)driver).GetVolumeSizeAsync(new VolumeRef("nothere", 1), FileTestBed.Token)).ShouldBeNull();
    }

    [Fact]
    public async Task GetStatsAsync_SparseVolumes_AllocatedIsBlocksUsedProvisionedIsVirtualSizes()
    {
        var driver = await bed.ReadyDriverAsync(("max_over_subscription_ratio", "7.5"), ("reserved_percentage", "5"));
        await driver.CreateVolumeAsync(new VolumeRef("a", 10), FileTestBed.Token);
        await driver.CreateVolumeAsync(new VolumeRef("b", 30), FileTestBed.Token);
        var a = bed.VolumePath("a", "raw");
        await Tool.RunAsync("qemu-io", "-f", "raw", "-c", "write -P 0x01 0 100M", a);
        await driver.CreateSnapshotAsync(new SnapshotRef("s", new VolumeRef("a", 10)), FileTestBed.Token);

        var pool = (await driver.GetStatsAsync(FileTestBed.Token)).Pools.Single();

        // The oracle: stat(1) for blocks, stat -f (statvfs) for the filesystem.
        var allocated = await Tool.AllocatedBytesAsync(a) + await Tool.AllocatedBytesAsync(bed.VolumePath("b", "raw")) + await Tool.AllocatedBytesAsync(bed.SnapshotPath("s", "raw"));
        var fs = (await Tool.RunAsync("stat", "-f", "-c", "%S %b %a", bed.VolumesDir)).Split(' ', StringSplitOptions.TrimEntries).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        pool.ProvisionedCapacityGb.ShouldBe(40.0);
        pool.AllocatedCapacityGb.ShouldBe(Math.Round(allocated / (double)FileTestBed.Gb, 2));
        pool.AllocatedCapacityGb.ShouldBeInRange(0.19, 0.21, "100 MiB written, copied once by the snapshot; the rest is holes");
        pool.TotalCapacityGb.ShouldBe(Math.Round(fs[0] * fs[1] / (double)FileTestBed.Gb, 2));
        pool.FreeCapacityGb.ShouldBe(fs[0] * fs[2] / (double)FileTestBed.Gb, tolerance: 0.05);
        pool.ThinProvisioningSupport.ShouldBeTrue();
        pool.MaxOverSubscriptionRatio.ShouldBe(7.5);
        pool.ReservedPercentage.ShouldBe(5);
        pool.PoolName.ShouldBe("file1");
    }

    [Fact]
    public async Task GetStatsAsync_Defaults_ThinWithCinderRatioOfTwenty()
    {
        var driver = await bed.ReadyDriverAsync(("volume_backend_name", "files"));

        var stats = await driver.GetStatsAsync(FileTestBed.Token);

        stats.VolumeBackendName.ShouldBe("files");
        stats.StorageProtocol.ShouldBe("iSCSI");
        stats.Pools.Single().MaxOverSubscriptionRatio.ShouldBe(20.0);
        stats.Pools.Single().ProvisionedCapacityGb.ShouldBe(0);
        stats.Pools.Single().Capabilities["volume_format"].ShouldBe("raw");
    }

    [Fact]
    public async Task CreateVolumeAsync_Retried_SucceedsOnceAndConflictingSizeIsRefused()
    {
        var driver = await bed.ReadyDriverAsync();
        await driver.CreateVolumeAsync(new VolumeRef("v", 1), FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("v", "raw"), "raw", 0xab);

        var again = await driver.CreateVolumeAsync(new VolumeRef("v", 1), FileTestBed.Token);
        var conflict = await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeAsync(new VolumeRef("v", 2), FileTestBed.Token));

        again.ProviderLocation.ShouldBe(bed.VolumePath("v", "raw"));
        conflict.Message.ShouldContain("already exists");
        (await Tool.HoldsPatternAsync(bed.VolumePath("v", "raw"), "raw", 0xab)).ShouldBeTrue("a retry never overwrites data");
    }

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_SmallerThanSnapshot_Refused()
    {
        var driver = await bed.ReadyDriverAsync();
        var volume = new VolumeRef("v", 2);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await driver.CreateSnapshotAsync(new SnapshotRef("s", volume), FileTestBed.Token);

        var error = await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeFromSnapshotAsync(new VolumeRef("small", 1), new SnapshotRef("s", volume), FileTestBed.Token));

        error.Message.ShouldBe("requested size 1 GB of volume small is smaller than snapshot s (2 GB)");
        System.IO.File.Exists(bed.VolumePath("small", "raw")).ShouldBeFalse();
        Directory.GetFiles(bed.VolumesDir, ".*").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateVolumeAsync_IdWithPathSeparator_Refused()
    {
        var driver = await bed.ReadyDriverAsync();

        var error = await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeAsync(new VolumeRef("../escape", 1), FileTestBed.Token));

        error.Message.ShouldContain("cannot be used as a file name");
        System.IO.File.Exists(Path.Combine(bed.Root, "escape.raw")).ShouldBeFalse();
    }

    [Fact]
    public async Task Operations_SixteenConcurrentRequests_AllSucceedWithoutInterference()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var source = new VolumeRef("src", 1);
        await driver.CreateVolumeAsync(source, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("src", "qcow2"), "qcow2", 0x42);
        var snapshot = new SnapshotRef("snap", source);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 4) switch
        {
            0 => driver.CreateVolumeFromSnapshotAsync(new VolumeRef($"c{i}", 1), snapshot, FileTestBed.Token),
            1 => driver.CreateCloneAsync(new VolumeRef($"c{i}", 1), source, FileTestBed.Token),
            2 => driver.CreateVolumeAsync(new VolumeRef($"c{i}", 1), FileTestBed.Token),
            _ => driver.CreateSnapshotAsync(new SnapshotRef($"s{i}", source), FileTestBed.Token).ContinueWith(_ => VolumeUpdate.None, TaskScheduler.Default),
        }));
        await driver.DeleteSnapshotAsync(snapshot, FileTestBed.Token);

        foreach (var i in new[] { 0, 1, 4, 5, 8, 9, 12, 13 })
        {
            (await Tool.HoldsPatternAsync(bed.VolumePath($"c{i}", "qcow2"), "qcow2", 0x42)).ShouldBeTrue($"c{i}");
        }

        foreach (var i in new[] { 3, 7, 11, 15 })
        {
            (await Tool.HoldsPatternAsync(bed.SnapshotPath($"s{i}", "qcow2"), "qcow2", 0x42)).ShouldBeTrue($"s{i}");
        }
    }
}
