using System.Text.Json;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>The exporter against a real tgtd on loopback, checked with a real initiator (libiscsi).</summary>
public sealed class TgtExporterLoopbackTests : IAsyncLifetime
{
    private readonly IscsiTestBed bed = new();
    private TgtDaemon tgtd = null!;

    public async ValueTask InitializeAsync() => tgtd = await TgtDaemon.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await tgtd.DisposeAsync();
        bed.Dispose();
    }

    [Fact]
    public async Task RefreshSizeAsync_FileGrown_LunServesTheNewCapacityOnTheSameTarget()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(2 * IscsiTestBed.VolumeBytes);
        }

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes, "tgt keeps the size it read at LUN creation, or this test proves nothing");

        await exporter.RefreshSizeAsync(id, TestContext.Current.CancellationToken);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(2 * IscsiTestBed.VolumeBytes);
        var again = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        again.Data["target_iqn"].ShouldBe(info.Data["target_iqn"]);
        await exporter.RefreshSizeAsync("never-exported", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ExportAsync_RawFile_ServesItsCapacityAndBytesOverIscsiUntilRemoved()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();

        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);

        // Host writes through iSCSI; the bytes land in the file.
        var write = await Initiator.QemuIoAsync(Initiator.Url(info), "write -P 0xab 1M 64k");
        write.Succeeded.ShouldBeTrue(write.StandardError + write.StandardOutput);
        var bytes = new byte[64 * 1024];
        await using (var file = System.IO.File.OpenRead(path))
        {
            file.Position = 1024 * 1024;
            await file.ReadExactlyAsync(bytes, TestContext.Current.CancellationToken);
        }

        bytes.ShouldAllBe(b => b == 0xab);

        // Bytes put into the file are what the host reads.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = 2 * 1024 * 1024;
            await file.WriteAsync(Enumerable.Repeat((byte)0xcd, 4096).ToArray(), TestContext.Current.CancellationToken);
        }

        var read = await Initiator.QemuIoAsync(Initiator.Url(info), "read -P 0xcd 2M 4k");
        read.Succeeded.ShouldBeTrue(read.StandardError + read.StandardOutput);
        read.StandardOutput.ShouldNotContain("verification failed");
        var mismatch = await Initiator.QemuIoAsync(Initiator.Url(info), "read -P 0xee 2M 4k");
        mismatch.Succeeded.ShouldBeFalse("a read checked against the wrong pattern must fail, or the read above proves nothing");

        await exporter.RemoveExportAsync(id, TestContext.Current.CancellationToken);

        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.Trim().ShouldBeEmpty();
        (await tgtd.AdminAsync("--op", "show", "--mode", "account")).StandardOutput.ShouldNotContain((string)info.Data["auth_username"]!);
        var listed = await Initiator.ListAsync(Initiator.PortalUrl(info));
        listed.StandardOutput.ShouldNotContain((string)info.Data["target_iqn"]!);
    }

    [Fact]
    public async Task ExportAsync_Defaults_CinderIscsiConnectionInfoWithChap()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();

        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        info.DriverVolumeType.ShouldBe("iscsi");
        info.Data["target_discovered"].ShouldBe(false);
        info.Data["target_iqn"].ShouldBe($"iqn.2010-10.org.openstack:volume-{id}");
        info.Data["target_portal"].ShouldBe(tgtd.Portal);
        info.Data["target_lun"].ShouldBe(1);
        info.Data["volume_id"].ShouldBe(id);
        info.Data["auth_method"].ShouldBe("CHAP");
        ((string)info.Data["auth_username"]!).Length.ShouldBe(20);
        ((string)info.Data["auth_password"]!).Length.ShouldBe(16);
        info.Data["encrypted"].ShouldBe(false);
        info.Data["access_mode"].ShouldBe("rw");
    }

    [Fact]
    public async Task ExportAsync_WrongChapPassword_LoginRefused()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        var wrong = await Initiator.ReadCapacityRawAsync(Initiator.Url(info, password: "WrongPassword123"));
        var none = await Initiator.ReadCapacityRawAsync($"iscsi://{info.Data["target_portal"]}/{info.Data["target_iqn"]}/1");

        wrong.Succeeded.ShouldBeFalse();
        (wrong.StandardError + wrong.StandardOutput).ShouldContain("Authentication failure");
        none.Succeeded.ShouldBeFalse();
        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task ExportAsync_ChapOff_NoAuthFieldsAndLoginWithoutCredentials()
    {
        var exporter = bed.Exporter(tgtd, (IscsiOptions.UseChapAuth, "false"));
        var (id, path) = bed.NewVolume();

        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        info.Data.Keys.ShouldNotContain("auth_method");
        info.Data.Keys.ShouldNotContain("auth_password");
        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task ExportAsync_Twice_SameTargetAndCredentials()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();

        var first = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        var second = await exporter.ExportAsync(id, path, Initiator.Connector with { Host = "other-host" }, TestContext.Current.CancellationToken);

        second.Data.ShouldBe(first.Data);
        TgtShowParser.ParseTargets((await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ExportAsync_ManyAtOnce_EachOnItsOwnTarget()
    {
        var exporter = bed.Exporter(tgtd);
        var volumes = Enumerable.Range(0, 8).Select(_ => bed.NewVolume()).ToList();

        var infos = await Task.WhenAll(volumes.Select(v => exporter.ExportAsync(v.VolumeId, v.Path, Initiator.Connector, TestContext.Current.CancellationToken)));

        var targets = TgtShowParser.ParseTargets((await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput);
        targets.Select(t => t.Iqn).Order().ShouldBe(infos.Select(i => (string)i.Data["target_iqn"]!).Order());
        targets.ShouldAllBe(t => t.BackingStores[1].StartsWith(bed.VolumesDirectory, StringComparison.Ordinal));
        foreach (var (volume, target) in volumes.Select(v => (v, targets.Single(t => t.Iqn.EndsWith(v.VolumeId, StringComparison.Ordinal)))))
        {
            target.BackingStores[1].ShouldBe(volume.Path);
        }
    }

    [Fact]
    public async Task RestoreExportsAsync_AfterTgtdRestart_SameIqnAndCredentialsServeTheFileAgain()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var before = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        await tgtd.RestartAsync();
        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.Trim().ShouldBeEmpty();

        // A new exporter, as after a restart of Kiln too: everything comes from the state file.
        await bed.Exporter(tgtd).RestoreExportsAsync(TestContext.Current.CancellationToken);

        (await Initiator.ReadCapacityAsync(Initiator.Url(before))).ShouldBe(IscsiTestBed.VolumeBytes);
        var again = await bed.Exporter(tgtd).ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        again.Data.ShouldBe(before.Data);
    }

    [Fact]
    public async Task RestoreExportsAsync_TargetsAlreadyThere_KeptAsTheyAre()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        var shown = (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput;

        await bed.Exporter(tgtd).RestoreExportsAsync(TestContext.Current.CancellationToken);
        await bed.Exporter(tgtd).RestoreExportsAsync(TestContext.Current.CancellationToken);

        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.ShouldBe(shown);
        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task RestoreExportsAsync_TargetLostItsAccount_Recreated()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);
        (await tgtd.AdminAsync("--op", "delete", "--mode", "account", "--user", (string)info.Data["auth_username"]!)).Succeeded.ShouldBeTrue();

        await bed.Exporter(tgtd).RestoreExportsAsync(TestContext.Current.CancellationToken);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task RemoveExportAsync_NeverExported_Succeeds()
    {
        var exporter = bed.Exporter(tgtd);

        await exporter.RemoveExportAsync(Guid.NewGuid().ToString(), TestContext.Current.CancellationToken);
        await exporter.RemoveExportAsync(Guid.NewGuid().ToString(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RemoveExportAsync_Twice_SecondSucceedsAndRecordIsGone()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        await exporter.RemoveExportAsync(id, TestContext.Current.CancellationToken);
        await exporter.RemoveExportAsync(id, TestContext.Current.CancellationToken);

        (await System.IO.File.ReadAllTextAsync(Path.Combine(bed.VolumesDirectory, "iscsi-exports.json"), TestContext.Current.CancellationToken)).ShouldNotContain(id);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ExportAsync_Recorded_StateFileReadableByOwnerOnlyWithTheTarget()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();

        var info = await exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken);

        var stateFile = Path.Combine(bed.VolumesDirectory, "iscsi-exports.json");
        System.IO.File.GetUnixFileMode(stateFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var state = JsonDocument.Parse(await System.IO.File.ReadAllTextAsync(stateFile, TestContext.Current.CancellationToken));
        var record = state.RootElement.GetProperty("exports").EnumerateArray().Single();
        record.GetProperty("volume_id").GetString().ShouldBe(id);
        record.GetProperty("path").GetString().ShouldBe(path);
        record.GetProperty("target_iqn").GetString().ShouldBe((string)info.Data["target_iqn"]!);
        record.GetProperty("auth_password").GetString().ShouldBe((string)info.Data["auth_password"]!);
        Directory.GetFiles(bed.VolumesDirectory, "*.tmp").ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportAsync_TgtdStopped_RecoverableDriverExceptionSayingSo()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        await tgtd.KillAsync();

        var ex = await Should.ThrowAsync<DriverException>(() => exporter.ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken));

        ex.ShouldNotBeAssignableTo<UnrecoverableDriverException>();
        ex.Message.ShouldContain("tgtd is not running");
        DriverErrorClassifier.Classify(ex).ShouldBe(FailureKind.Recoverable);
    }

    [Fact]
    public async Task ExportAsync_MissingFile_DriverExceptionAndNoTargetLeft()
    {
        var exporter = bed.Exporter(tgtd);
        var id = Guid.NewGuid().ToString();

        var ex = await Should.ThrowAsync<DriverException>(() => exporter.ExportAsync(id, Path.Combine(bed.VolumesDirectory, "absent"), Initiator.Connector, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("tgtadm");
        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.Trim().ShouldBeEmpty();
        (await System.IO.File.ReadAllTextAsync(Path.Combine(bed.VolumesDirectory, "iscsi-exports.json"), TestContext.Current.CancellationToken)).ShouldNotContain(id);
    }

    [Fact]
    public async Task RestoreExportsAsync_OneExportRefusedByTgt_OthersRestored()
    {
        var (good, goodPath) = bed.NewVolume();
        var (bad, _) = bed.NewVolume();
        var info = await bed.Exporter(tgtd).ExportAsync(good, goodPath, Initiator.Connector, TestContext.Current.CancellationToken);
        var records = await ExportStateFile.In(bed.VolumesDirectory).ReadAsync(TestContext.Current.CancellationToken);

        // tgt cannot serve a directory as a disk: that export is refused, the other one must still come back.
        bed.WriteState(records[good], new ExportRecord(bad, bed.VolumesDirectory, $"iqn.2010-10.org.openstack:volume-{bad}", 0, "baduser00000000000000", "badpassword00000"));
        await tgtd.RestartAsync();

        await bed.Exporter(tgtd).RestoreExportsAsync(TestContext.Current.CancellationToken);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
        TgtShowParser.ParseTargets((await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput).Select(t => t.Iqn).ShouldBe([(string)info.Data["target_iqn"]!]);
    }
}
