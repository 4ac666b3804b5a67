using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Tests;

/// <summary>Raw volumes go through the iSCSI exporter; qcow2 volumes are never exported, only opened as files.</summary>
public sealed class ConnectionTests : IDisposable
{
    private static readonly ConnectorInfo IscsiHost = new("compute1", "iqn.1993-08.org.debian:01:abc", "10.0.0.5");
    private static readonly ConnectorInfo QemuHost = new("compute1", null, "10.0.0.5");

    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task RawVolume_InitializeTerminateDelete_GoThroughTheExporterExportRemovedBeforeTheFile()
    {
        var driver = await bed.ReadyDriverAsync();
        var volume = new VolumeRef("v1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);
        var path = bed.VolumePath("v1", "raw");
        var fileExistedAtRemove = new List<bool>();
        bed.Exporter.OnRemove = _ => fileExistedAtRemove.Add(System.IO.File.Exists(path));

        var info = await driver.InitializeConnectionAsync(volume, IscsiHost, FileTestBed.Token);
        await driver.TerminateConnectionAsync(volume, IscsiHost, FileTestBed.Token);
        await driver.DeleteVolumeAsync(volume, FileTestBed.Token);

        info.DriverVolumeType.ShouldBe("iscsi");
        bed.Exporter.Calls.ShouldBe(["restore", $"export v1 {path} {IscsiHost.Initiator}", $"revoke v1 {IscsiHost.Initiator}", "remove v1"]);
        fileExistedAtRemove.ShouldBe([true, true]);
        System.IO.File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Qcow2Volume_HostWithoutInitiator_GetsTheFilePathAndNothingIsExported()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("v1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);

        var info = await driver.InitializeConnectionAsync(volume, QemuHost, FileTestBed.Token);
        await driver.TerminateConnectionAsync(volume, QemuHost, FileTestBed.Token);

        info.DriverVolumeType.ShouldBe("file");
        info.Data["device_path"].ShouldBe(bed.VolumePath("v1", "qcow2"));
        info.Data["format"].ShouldBe("qcow2");
        bed.Exporter.Calls.ShouldBe(["restore"]);
    }

    [Fact]
    public async Task Qcow2Volume_IscsiInitiator_RefusedWithAClearMessageAndNeverExported()
    {
        var driver = await bed.ReadyDriverAsync(("file_volume_format", "qcow2"));
        var volume = new VolumeRef("v1", 1);
        await driver.CreateVolumeAsync(volume, FileTestBed.Token);

        var error = await Should.ThrowAsync<NotSupportedException>(() => driver.InitializeConnectionAsync(volume, IscsiHost, FileTestBed.Token));

        error.Message.ShouldStartWith("volume v1 on backend file1 is qcow2; only raw volumes can be exported over iSCSI (file_volume_format = raw).");
        bed.Exporter.Calls.ShouldBe(["restore"]);
    }

    [Fact]
    public async Task InitializeConnectionAsync_UnknownVolume_FailsWithoutExporting()
    {
        var driver = await bed.ReadyDriverAsync();

        var error = await Should.ThrowAsync<Core.Errors.DriverException>(() => driver.InitializeConnectionAsync(new VolumeRef("nope", 1), IscsiHost, FileTestBed.Token));

        error.Message.ShouldBe($"volume nope not found in {bed.VolumesDir}");
        bed.Exporter.Calls.ShouldBe(["restore"]);
    }
}
