using Kiln.Drivers.File.Iscsi;
using Kiln.Tests.Shared;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// A tgtd restarted under a running Kiln (its targets gone) is noticed by the export check and every
/// recorded export is restored, with the same names and credentials, a log line and a metric.
/// </summary>
public sealed class TargetLossTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IscsiTestBed bed = new();
    private readonly TestMetrics metrics = new();
    private readonly RecordingLoggerFactory logs = new();
    private readonly TimerRecordingTimeProvider time = new();
    private TgtdSupervisors daemons = null!;
    private TgtDaemon tgtd = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        daemons = new TgtdSupervisors(metrics);
        tgtd = await TgtDaemon.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await daemons.DisposeAsync();
        await tgtd.DisposeAsync();
        metrics.Dispose();
        bed.Dispose();
    }

    [Fact]
    public async Task CheckAsync_TgtdRestarted_RestoresEveryExportWithItsCredentialsLogsAndCounts()
    {
        await using var exporter = Exporter();
        var (id1, path1) = bed.NewVolume();
        var (id2, path2) = bed.NewVolume();
        var info1 = await exporter.ExportAsync(id1, path1, Initiator.Connector, Token);
        var info2 = await exporter.ExportAsync(id2, path2, Initiator.OtherConnector, Token);
        await tgtd.RestartAsync();
        (await Initiator.ReadCapacityRawAsync(Initiator.Url(info1))).Succeeded.ShouldBeFalse("tgtd lost its targets");

        var restored = await exporter.CheckAsync(Token);

        restored.ShouldBe(2);
        (await Initiator.ReadCapacityAsync(Initiator.Url(info1))).ShouldBe(IscsiTestBed.VolumeBytes);
        (await Initiator.ReadCapacityAsync(Initiator.Url(info2), Initiator.OtherConnector.Initiator)).ShouldBe(IscsiTestBed.VolumeBytes);
        logs.Lines.ShouldContain("Warning: Backend files: tgtd lost 2 of 2 iSCSI targets (tgtd restarted, or targets removed outside Kiln); restoring them");
        logs.Lines.ShouldContain("Information: Backend files: restored 2 of 2 lost iSCSI targets");
        metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")).ShouldBe(1);
        metrics.Sum("kiln.iscsi.exports.restored", ("backend", "files"), ("reason", "targets_lost")).ShouldBe(2);

        (await exporter.CheckAsync(Token)).ShouldBe(0, "nothing is lost any more");
        metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")).ShouldBe(1);
    }

    [Fact]
    public async Task CheckAsync_TargetDeletedOutsideKiln_Restored()
    {
        await using var exporter = Exporter();
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        (await tgtd.AdminAsync("--op", "delete", "--force", "--mode", "target", "--tid", "1")).Succeeded.ShouldBeTrue();

        (await exporter.CheckAsync(Token)).ShouldBe(1);

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task CheckAsync_TgtdDown_LoggedOnceThenRestoredWhenItAnswersAgain()
    {
        await using var exporter = Exporter();
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        await tgtd.KillAsync();

        (await exporter.CheckAsync(Token)).ShouldBe(0);
        (await exporter.CheckAsync(Token)).ShouldBe(0);
        await tgtd.RestartAsync();
        (await exporter.CheckAsync(Token)).ShouldBe(1);

        logs.Lines.Count(l => l.Contains("no tgtd answers on control port", StringComparison.Ordinal)).ShouldBe(1);
        logs.Lines.ShouldContain($"Information: Backend files: tgtd answers again on control port {tgtd.ControlPort}");
        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
    }

    [Fact]
    public async Task Watch_TgtdRestarted_TargetsBackAfterOneCheckInterval()
    {
        await using var exporter = Exporter((IscsiOptions.TgtCheckInterval, "5"));
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        exporter.StartWatching();
        await WatchWaitingAsync();
        await tgtd.RestartAsync();

        time.Advance(TimeSpan.FromSeconds(5));

        await Poll.UntilAsync(async () => (await Initiator.ReadCapacityRawAsync(Initiator.Url(info))).Succeeded, Deadline, "the watch did not restore the target", Token);

        // The watch counts the restore once every lost target is back, a moment after the first answers (a
        // fresh-clone run read the counter in between and saw 0).
        await Poll.UntilAsync(
            () => metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")) == 1, Deadline, "the restore was not counted", Token);
        metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")).ShouldBe(1);
    }

    [Fact]
    public async Task Watch_CheckIntervalNotReached_NothingRestored()
    {
        await using var exporter = Exporter((IscsiOptions.TgtCheckInterval, "5"));
        var (id, path) = bed.NewVolume();
        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        exporter.StartWatching();
        await WatchWaitingAsync();
        await tgtd.RestartAsync();

        // The watch waits on a 5 s timer of the fake clock: 4 s do not fire it, so no check can have started.
        time.Advance(TimeSpan.FromSeconds(4));

        (await Initiator.ReadCapacityRawAsync(Initiator.Url(info))).Succeeded.ShouldBeFalse("the check runs on its interval, not before");
        time.Timers.Count.ShouldBe(1, "the watch woke before its interval");
    }

    /// <summary>Until the watch waits for its first check, on a timer of the check interval (5 s here).</summary>
    private async Task WatchWaitingAsync()
    {
        await Poll.UntilAsync(() => time.Timers.Count > 0, Deadline, "the watch never started to wait for its check interval", Token);
        time.Timers.Single().ShouldBe((TimeSpan.Zero, TimeSpan.FromSeconds(5)), "the watch's first wait is one check interval, from its start");
    }

    private TgtExporter Exporter(params (string Option, string Value)[] options) =>
        bed.SupervisedExporter(tgtd, daemons, time, logs, [(IscsiOptions.TgtManage, "external"), .. options]);
}
