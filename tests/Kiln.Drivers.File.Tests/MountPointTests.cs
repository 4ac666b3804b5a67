using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Tests;

/// <summary><c>file_require_mountpoint</c>: an unmounted directory is a recoverable failure until its filesystem appears.</summary>
public sealed class MountPointTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task SetupAsync_RequiredMountMissing_FailsRecoverablyThenWorksOnceTmpfsIsMounted()
    {
        var driver = bed.CreateDriver(("file_require_mountpoint", "true"));
        var expected = $"file_volumes_dir {bed.VolumesDir} is not a mount point (file_require_mountpoint = true); waiting for its filesystem to be mounted";

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FileTestBed.Token));
        var before = await driver.ProbeAsync(FileTestBed.Token);
        await Mounts.MountTmpfsAsync(bed.VolumesDir);
        var after = await driver.ProbeAsync(FileTestBed.Token);
        var next = bed.CreateDriver(("file_require_mountpoint", "true"));
        await next.SetupAsync(FileTestBed.Token);

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe(expected);
        before.Reason.ShouldBe(expected);
        after.IsReady.ShouldBeTrue();
    }

    [Fact]
    public async Task IsMountPoint_LoopDeviceExt4_IsRecognised()
    {
        StorageCheck.IsMountPoint(bed.VolumesDir).ShouldBeFalse();

        await Mounts.MountLoopAsync(Path.Combine(bed.Root, "disk.img"), bed.VolumesDir);

        StorageCheck.IsMountPoint(bed.VolumesDir).ShouldBeTrue();
        StorageCheck.IsMountPoint(bed.VolumesDir + "/").ShouldBeTrue();
        var driver = bed.CreateDriver(("file_require_mountpoint", "true"));
        await driver.SetupAsync(FileTestBed.Token);
    }

    [Fact]
    public async Task GetStatsAsync_FilesystemUnmountedWhileReady_FailsWithTheReason()
    {
        await Mounts.MountTmpfsAsync(bed.VolumesDir);
        var driver = await bed.ReadyDriverAsync(("file_require_mountpoint", "true"));
        (await driver.GetStatsAsync(FileTestBed.Token)).Pools.Single().TotalCapacityGb.ShouldBe(0.06);

        Mounts.UnmountQuietly(bed.VolumesDir);

        var error = await Should.ThrowAsync<DriverException>(() => driver.GetStatsAsync(FileTestBed.Token));
        error.Message.ShouldContain("is not a mount point");
    }
}
