using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Tests;

/// <summary>Deleting a snapshot that qcow2 volumes are backed by flattens them first; the chain never breaks.</summary>
public sealed class SnapshotDependencyTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task DeleteSnapshotAsync_Qcow2WithDependentClones_FlattensThemAndTheyStillRead()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "qcow2"), "qcow2", 0xab);
        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 1), snapshot, FileTestBed.Token);
        await driver.CreateCloneAsync(new VolumeRef("clone2", 2), new VolumeRef("clone1", 1), FileTestBed.Token);
        (await Tool.BackingFileAsync(bed.VolumePath("clone2", "qcow2"))).ShouldBe("snapshot-snap1.qcow2");

        await driver.DeleteSnapshotAsync(snapshot, FileTestBed.Token);

        System.IO.File.Exists(bed.SnapshotPath("snap1", "qcow2")).ShouldBeFalse();
        foreach (var clone in new[] { "clone1", "clone2" })
        {
            var path = bed.VolumePath(clone, "qcow2");
            (await Tool.BackingFileAsync(path)).ShouldBeNull();
            (await Tool.HoldsPatternAsync(path, "qcow2", 0xab)).ShouldBeTrue();
            await Tool.RunAsync("qemu-img", "check", "-q", path);
        }

        (await Tool.VirtualSizeAsync(bed.VolumePath("clone2", "qcow2"))).ShouldBe(2 * FileTestBed.Gb);
        bed.Logs.Lines.ShouldContain("Information: Backend file1: flattened volume-clone1.qcow2 so that snapshot snapshot-snap1.qcow2 can be deleted");
        bed.Logs.Lines.ShouldContain("Information: Backend file1: flattened volume-clone2.qcow2 so that snapshot snapshot-snap1.qcow2 can be deleted");
    }

    [Fact]
    public async Task DeleteSnapshotAsync_DependentHeldByAnotherWriter_RefusesAndKeepsTheChain()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "qcow2"), "qcow2", 0xab);
        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 1), snapshot, FileTestBed.Token);
        var clonePath = bed.VolumePath("clone1", "qcow2");

        // qemu-io sleeping with the image open for writing holds its lock, like a running QEMU would. Its
        // "wrote" line (line-buffered by stdbuf) says the image is open; probing the lock could steal it.
        var info = new System.Diagnostics.ProcessStartInfo("stdbuf") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-oL", "qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 512", "-c", "sleep 60000", clonePath })
        {
            info.ArgumentList.Add(argument);
        }

        using var holder = System.Diagnostics.Process.Start(info)!;
        try
        {
            using var opened = CancellationTokenSource.CreateLinkedTokenSource(FileTestBed.Token);
            opened.CancelAfter(TimeSpan.FromSeconds(10));
            var line = await holder.StandardOutput.ReadLineAsync(opened.Token);
            line.ShouldNotBeNull();
            line.ShouldStartWith("wrote 512/512");

            var error = await Should.ThrowAsync<Core.Errors.DriverException>(() => driver.DeleteSnapshotAsync(snapshot, FileTestBed.Token));

            error.Message.ShouldContain("has dependent volume volume-clone1.qcow2");
            error.Message.ShouldContain("the snapshot was kept");
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(FileTestBed.Token);
        }

        System.IO.File.Exists(bed.SnapshotPath("snap1", "qcow2")).ShouldBeTrue();
        (await Tool.BackingFileAsync(clonePath)).ShouldBe("snapshot-snap1.qcow2");
        (await Tool.HoldsPatternAsync(clonePath, "qcow2", 0xab)).ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteSnapshotAsync_Raw_ClonesAreIndependentCopies()
    {
        var driver = await bed.ReadyDriverAsync();
        var volume = new VolumeRef("vol1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        await Tool.WritePatternAsync(bed.VolumePath("vol1", "raw"), "raw", 0xab);
        var snapshot = new SnapshotRef("snap1", volume);
        await driver.CreateSnapshotAsync(snapshot, FileTestBed.Token);
        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("clone1", 1), snapshot, FileTestBed.Token);

        await driver.DeleteSnapshotAsync(snapshot, FileTestBed.Token);

        (await Tool.HoldsPatternAsync(bed.VolumePath("clone1", "raw"), "raw", 0xab)).ShouldBeTrue();
    }

    [Fact]
    public async Task Delete_UnknownVolumeAndSnapshot_Succeed()
    {
        var driver = await bed.ReadyDriverAsync();

        await driver.DeleteVolumeAsync(new VolumeRef("never", 1), FileTestBed.Token);
        await driver.DeleteSnapshotAsync(new SnapshotRef("never", new VolumeRef("never", 1)), FileTestBed.Token);

        bed.Exporter.Calls.ShouldBe(["restore", "remove never"]);
    }
}
