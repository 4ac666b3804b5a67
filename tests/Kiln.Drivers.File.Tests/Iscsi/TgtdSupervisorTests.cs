using System.Diagnostics;
using System.Globalization;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;
using Kiln.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// <c>tgt_manage = auto</c>: Kiln starts its own tgtd when none answers, restarts it with backoff when it
/// dies (its targets restored), stops it by PID when Kiln stops, and leaves a tgtd it did not start alone.
/// </summary>
public sealed class TgtdSupervisorTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IscsiTestBed bed = new();
    private readonly TestMetrics metrics = new();
    private readonly RecordingLoggerFactory logs = new();
    private readonly FakeTimeProvider time = new();

    // A control port no tgtd uses, so the supervisor starts one; the portal on a free port.
    private readonly int controlPort = Random.Shared.Next(10_000, 32_000);
    private readonly int portalPort = TgtDaemon.FreeTcpPort();
    private TgtdSupervisors daemons = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Portal => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{portalPort}");

    public ValueTask InitializeAsync()
    {
        daemons = new TgtdSupervisors(metrics);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await daemons.DisposeAsync();
        metrics.Dispose();
        bed.Dispose();
    }

    [Fact]
    public async Task EnsureAsync_NoTgtd_StartsKilnsOwnOnTheControlPortAndPortal()
    {
        await using var supervisor = Supervisor();

        await supervisor.EnsureAsync(Token);

        supervisor.State.ShouldBe(TgtdState.Running);
        var pid = supervisor.ProcessId.ShouldNotBeNull();
        Process.GetProcessById(pid).ProcessName.ShouldBe("tgtd");
        (await AdminAsync()).Succeeded.ShouldBeTrue();
        logs.Lines.ShouldContain($"Information: tgtd started by Kiln on control port {controlPort}, portal {Portal} (pid {pid})");
    }

    [Fact]
    public async Task DisposeAsync_KilnsTgtd_KilledByItsPidAndSocketRemoved()
    {
        var supervisor = Supervisor();
        await supervisor.EnsureAsync(Token);
        var process = Process.GetProcessById(supervisor.ProcessId!.Value);

        await supervisor.DisposeAsync();

        process.WaitForExit(TimeSpan.FromSeconds(10)).ShouldBeTrue();
        supervisor.State.ShouldBe(TgtdState.Stopped);
        (await AdminAsync()).Succeeded.ShouldBeFalse();
        System.IO.File.Exists($"/var/run/tgtd/socket.{controlPort}").ShouldBeFalse();
    }

    [Fact]
    public async Task KilnsTgtdKilled_RestartedAfterBackoffAndCounted()
    {
        await using var supervisor = Supervisor(metricsRestarted: true);
        var startedEvents = 0;
        supervisor.Started += () => Interlocked.Increment(ref startedEvents);
        await supervisor.EnsureAsync(Token);

        // EnsureAsync returns once tgtd answers; the first start's announcement may come just after.
        await WaitUntilAsync(() => Volatile.Read(ref startedEvents) == 1, "the first start was not announced", advance: false);
        var first = supervisor.ProcessId!.Value;

        Process.GetProcessById(first).Kill();
        await WaitUntilAsync(() => supervisor.State == TgtdState.Restarting, "the death was not noticed", advance: false);
        (await AdminAsync()).Succeeded.ShouldBeFalse("nothing runs during the backoff");
        await WaitUntilAsync(() => supervisor.State == TgtdState.Running, "tgtd was not restarted", advance: true);

        supervisor.ProcessId.ShouldNotBe(first);
        supervisor.Restarts.ShouldBe(1);
        Volatile.Read(ref startedEvents).ShouldBe(2, "the first start and the restart, each announced once");
        (await AdminAsync()).Succeeded.ShouldBeTrue();
        metrics.Sum("kiln.iscsi.tgtd.restarts", ("control_port", controlPort.ToString(CultureInfo.InvariantCulture))).ShouldBe(1);
        logs.Lines.ShouldContain(l => l.StartsWith($"Warning: Kiln's tgtd on control port {controlPort} (pid {first}) exited with code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureAsync_TgtdAnswers_UsedAsExternalAndNeverStopped()
    {
        await using var external = await TgtDaemon.StartAsync();
        var supervisor = new TgtdSupervisor(external.ControlPort, external.Portal, TimeSpan.FromSeconds(5), time, logs.CreateLogger("t"), null);

        await supervisor.EnsureAsync(Token);
        supervisor.State.ShouldBe(TgtdState.External);
        supervisor.ProcessId.ShouldBeNull();
        await supervisor.DisposeAsync();

        (await external.AdminAsync("--op", "show", "--mode", "target")).Succeeded.ShouldBeTrue("a tgtd Kiln did not start is never stopped");
    }

    [Fact]
    public async Task EnsureAsync_TgtdNotInstalled_NotInstalledWithoutThrowing()
    {
        await using var supervisor = new TgtdSupervisor(controlPort, Portal, TimeSpan.FromSeconds(5), time, logs.CreateLogger("t"), null, tgtdCommand: "/nonexistent/tgtd");

        await supervisor.EnsureAsync(Token);

        supervisor.State.ShouldBe(TgtdState.NotInstalled);
        logs.Lines.ShouldContain(l => l.Contains("tgtd is not installed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exporter_AutoWithoutTgtd_ExportServedByKilnsTgtdAndRestoredAfterItIsKilled()
    {
        var context = IscsiTestBed.Context(
            new Dictionary<string, string>
            {
                [IscsiOptions.TgtControlPort] = controlPort.ToString(CultureInfo.InvariantCulture),
                [IscsiOptions.TargetPort] = portalPort.ToString(CultureInfo.InvariantCulture),
            },
            time,
            logs);
        await using var exporter = TgtExporter.Create(context, bed.VolumesDirectory, daemons);
        var (id, path) = bed.NewVolume();

        var info = await exporter.ExportAsync(id, path, Initiator.Connector, Token);
        exporter.StartWatching();

        (await Initiator.ReadCapacityAsync(Initiator.Url(info))).ShouldBe(IscsiTestBed.VolumeBytes);
        var supervisor = daemons.All.Single();
        supervisor.State.ShouldBe(TgtdState.Running);

        Process.GetProcessById(supervisor.ProcessId!.Value).Kill();
        await WaitUntilAsync(() => supervisor.State == TgtdState.Restarting, "the death was not noticed", advance: false);
        var started = Stopwatch.GetTimestamp();
        while (!(await Initiator.ReadCapacityRawAsync(Initiator.Url(info))).Succeeded)
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Deadline, "the export was not restored on Kiln's restarted tgtd");

            // Only the backoff waits on the clock: the restart wakes the watch at once.
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, Token);
        }

        // Counted once every lost target is back, a moment after the first answers.
        await Poll.UntilAsync(
            () => metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")) == 1, Deadline, "the restore was not counted", Token);
        metrics.Sum("kiln.iscsi.target.restores", ("backend", "files"), ("reason", "targets_lost")).ShouldBe(1);
        metrics.Sum("kiln.iscsi.tgtd.restarts", ("control_port", controlPort.ToString(CultureInfo.InvariantCulture))).ShouldBe(1);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(int.MaxValue, 30)]
    public void Backoff_DoublesFromOneSecondUpToThirty(int failures, int seconds) =>
        TgtdSupervisor.Backoff(failures).ShouldBe(TimeSpan.FromSeconds(seconds));

    private TgtdSupervisor Supervisor(bool metricsRestarted = false) =>
        new(controlPort, Portal, TimeSpan.FromSeconds(5), time, logs.CreateLogger("t"), metricsRestarted ? daemons.Metrics!.Restarted : null);

    private Task<ProcessResult> AdminAsync() =>
        ProcessRunner.RunAsync("tgtadm", ["-C", controlPort.ToString(CultureInfo.InvariantCulture), "--op", "show", "--mode", "target"], Token);

    private async Task WaitUntilAsync(Func<bool> condition, string because, bool advance)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Deadline, because);
            if (advance)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(20, Token);
        }
    }
}
