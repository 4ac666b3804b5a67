using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// One target per volume shared by every host it is exported to (multiattach): each initiator is granted
/// by name, terminate for one host revokes that host only, and the target goes with the last one.
/// </summary>
public sealed class MultiInitiatorTests : IAsyncLifetime
{
    private const string Stranger = "iqn.1993-08.org.debian:01:kiln-stranger";
    private readonly IscsiTestBed bed = new();
    private TgtDaemon tgtd = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string HostA => Initiator.Connector.Initiator!;

    private static string HostB => Initiator.OtherConnector.Initiator!;

    public async ValueTask InitializeAsync() => tgtd = await TgtDaemon.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await tgtd.DisposeAsync();
        bed.Dispose();
    }

    [Fact]
    public async Task ExportAsync_SecondInitiator_SameTargetAndCredentialsBothHostsLogInOthersRefused()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();

        var first = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        var second = await exporter.ExportAsync(id, path, Initiator.OtherConnector, Token);

        second.Data.ShouldBe(first.Data);
        var url = Initiator.Url(first);
        (await Initiator.ReadCapacityAsync(url, HostA)).ShouldBe(IscsiTestBed.VolumeBytes);
        (await Initiator.ReadCapacityAsync(url, HostB)).ShouldBe(IscsiTestBed.VolumeBytes);
        var stranger = await Initiator.ReadCapacityRawAsync(url, Stranger);
        stranger.Succeeded.ShouldBeFalse("an initiator the volume was not exported to must not log in, even with the credentials");
        (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput.Split('\n').Count(l => l.StartsWith("Target ", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task ExportAsync_SecondInitiator_FirstHostsSessionKeepsWorking()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        var url = Initiator.Url(info);
        (await Initiator.QemuIoAsync(url, "write -P 0x11 0 64k", HostA)).Succeeded.ShouldBeTrue();
        var shownBefore = TargetLines(await ShowAsync());

        await exporter.ExportAsync(id, path, Initiator.OtherConnector, Token);

        // Granted in place: the same tid, LUN and account, one more ACL entry.
        TargetLines(await ShowAsync()).ShouldBe(shownBefore);
        var read = await Initiator.QemuIoAsync(url, "read -P 0x11 0 64k", HostB);
        read.Succeeded.ShouldBeTrue(read.StandardError + read.StandardOutput);
        read.StandardOutput.ShouldNotContain("verification failed");
    }

    [Fact]
    public async Task RevokeAsync_OneOfTwoInitiators_TargetStaysForTheOtherRevokedHostRefused()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        await exporter.ExportAsync(id, path, Initiator.OtherConnector, Token);

        await exporter.RevokeAsync(id, Initiator.Connector, Token);

        var url = Initiator.Url(info);
        (await Initiator.ReadCapacityRawAsync(url, HostA)).Succeeded.ShouldBeFalse("host A was detached");
        (await Initiator.ReadCapacityAsync(url, HostB)).ShouldBe(IscsiTestBed.VolumeBytes);
        var record = (await ExportStateFile.In(bed.VolumesDirectory).ReadAsync(Token))[id];
        record.Initiators.ShouldBe([HostB]);

        await exporter.RevokeAsync(id, Initiator.OtherConnector, Token);

        (await ShowAsync()).ShouldNotContain(id);
        (await tgtd.AdminAsync("--op", "show", "--mode", "account")).StandardOutput.ShouldNotContain((string)info.Data["auth_username"]!);
        (await ExportStateFile.In(bed.VolumesDirectory).ReadAsync(Token)).ShouldNotContainKey(id);
    }

    [Fact]
    public async Task RevokeAsync_InitiatorNeverGranted_OthersKeepTheirAccess()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);

        await exporter.RevokeAsync(id, new Core.Drivers.ConnectorInfo("stranger", Stranger, "127.0.0.1"), Token);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info), HostA)).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task RevokeAsync_ConnectorWithoutInitiator_RemovesTheWholeExport()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        await exporter.ExportAsync(id, path, Initiator.OtherConnector, Token);

        await exporter.RevokeAsync(id, new Core.Drivers.ConnectorInfo("somewhere", null, null), Token);

        (await ShowAsync()).ShouldNotContain(id);
    }

    [Fact]
    public async Task RestoreExportsAsync_AfterTgtdRestart_GrantsEveryRecordedInitiatorAndNoOther()
    {
        var exporter = bed.Exporter(tgtd);
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        await exporter.ExportAsync(id, path, Initiator.OtherConnector, Token);
        await tgtd.RestartAsync();

        await bed.Exporter(tgtd).RestoreExportsAsync(Token);

        var url = Initiator.Url(info);
        (await Initiator.ReadCapacityAsync(url, HostA)).ShouldBe(IscsiTestBed.VolumeBytes);
        (await Initiator.ReadCapacityAsync(url, HostB)).ShouldBe(IscsiTestBed.VolumeBytes);
        (await Initiator.ReadCapacityRawAsync(url, Stranger)).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task RestoreExportsAsync_RecordFromBeforeInitiatorsWereTracked_StaysOpenToAll()
    {
        var (id, path) = bed.NewVolume();
        bed.WriteState(new ExportRecord(id, path, $"iqn.2010-10.org.openstack:volume-{id}", 0, "legacyUserName012345", "LegacyPassword12"));

        await bed.Exporter(tgtd).RestoreExportsAsync(Token);

        var url = $"iscsi://legacyUserName012345%LegacyPassword12@{tgtd.Portal}/iqn.2010-10.org.openstack:volume-{id}/1";
        (await Initiator.ReadCapacityAsync(url, Stranger)).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    private async Task<string> ShowAsync() => (await tgtd.AdminAsync("--op", "show", "--mode", "target")).StandardOutput;

    // Everything but the ACL section.
    private static string TargetLines(string shown) =>
        shown[..shown.IndexOf("ACL information:", StringComparison.Ordinal)];
}
