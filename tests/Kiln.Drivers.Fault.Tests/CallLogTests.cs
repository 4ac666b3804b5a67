using System.Text.RegularExpressions;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed partial class CallLogTests : IDisposable
{
    private static readonly long StartMs = FaultTestBed.Start.ToUnixTimeMilliseconds();

    private readonly FaultTestBed bed = new();

    [Fact]
    public async Task EveryCall_InSequence_AppendsUnixMsAndMethodInOrder()
    {
        var driver = bed.CreateDriver();
        string[] methods = ["do_setup", "check_for_setup_error", "get_volume_stats", "probe", .. DriverCalls.Operations];
        await driver.CreateVolumeAsync(DriverCalls.Seed, FaultTestBed.Token);
        await driver.CreateSnapshotAsync(DriverCalls.SeedSnapshot, FaultTestBed.Token);
        File.Delete(bed.CallLogPath);

        for (var i = 0; i < methods.Length; i++)
        {
            await DriverCalls.InvokeAsync(driver, methods[i], FaultTestBed.Token);
            bed.Time.Advance(TimeSpan.FromMilliseconds(1500));
        }

        bed.CallLogLines().ShouldBe(methods.Select((method, i) => $"{StartMs + (i * 1500)} {method}").ToArray());
    }

    [Fact]
    public async Task EveryCall_WhenItFails_IsStillRecorded()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"init": "config", "stats": "fail", "ops": "fail"}""");

        await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(FaultTestBed.Token));
        await Should.ThrowAsync<DriverException>(() => driver.GetStatsAsync(FaultTestBed.Token));
        await Should.ThrowAsync<DriverException>(() => driver.DeleteVolumeAsync(new VolumeRef("v1", 1), FaultTestBed.Token));
        bed.WriteControl("not json");
        await Should.ThrowAsync<DriverConfigurationException>(() => driver.ProbeAsync(FaultTestBed.Token));

        bed.CalledMethods().ShouldBe(["do_setup", "get_volume_stats", "delete_volume", "probe"]);
    }

    [Fact]
    public async Task SetupAsync_InitHang_IsRecordedBeforeItHangs()
    {
        bed.WriteControl("""{"init": "hang"}""");
        var driver = bed.CreateDriver();
        bed.Time.Advance(TimeSpan.FromSeconds(42));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(FaultTestBed.Token);

        var setup = driver.SetupAsync(cancellation.Token);
        await cancellation.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => setup);

        bed.CallLogLines().ShouldBe([$"{StartMs + 42_000} do_setup"]);
    }

    [Fact]
    public async Task TwoDrivers_SameLogFile_BothAppendInCallOrder()
    {
        var first = bed.CreateDriver("fault1");
        var second = bed.CreateDriver("fault2");

        await first.SetupAsync(FaultTestBed.Token);
        bed.Time.Advance(TimeSpan.FromMilliseconds(7));
        await second.SetupAsync(FaultTestBed.Token);
        await first.ProbeAsync(FaultTestBed.Token);

        bed.CallLogLines().ShouldBe([$"{StartMs} do_setup", $"{StartMs + 7} do_setup", $"{StartMs + 7} probe"]);
    }

    [Fact]
    public async Task ManyDriversAndThreads_SameLogFile_WriteOnlyWholeLines()
    {
        const int Drivers = 8;
        const int CallsEach = 100;
        var drivers = Enumerable.Range(0, Drivers).Select(i => bed.CreateDriver($"fault{i % 2}")).ToList();

        await Task.WhenAll(drivers.Select(driver => Task.Run(
            async () =>
            {
                for (var i = 0; i < CallsEach; i++)
                {
                    await driver.ProbeAsync(FaultTestBed.Token);
                    await driver.TerminateConnectionAsync(DriverCalls.Seed, new ConnectorInfo(null, null, null), FaultTestBed.Token);
                }
            },
            FaultTestBed.Token)));

        var lines = bed.CallLogLines();
        lines.Length.ShouldBe(Drivers * CallsEach * 2);
        lines.ShouldAllBe(line => WholeLine().IsMatch(line));
        lines.Count(line => line.EndsWith(" probe", StringComparison.Ordinal)).ShouldBe(Drivers * CallsEach);
    }

    [Fact]
    public async Task SetupAsync_NoCallLogOption_WritesNoFile()
    {
        var driver = bed.CreateDriver(new BackendSection("fault1", new Dictionary<string, string> { ["fault_control_file"] = bed.ControlPath }));

        await driver.SetupAsync(FaultTestBed.Token);

        Directory.GetFiles(bed.PathOf(".")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SetupAsync_CallLogDirectoryMissing_ThrowsRecoverableErrorNamingThePath()
    {
        var path = bed.PathOf("no-such-dir/calls.log");
        var driver = bed.CreateDriver(options: ("fault_call_log", path));

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FaultTestBed.Token));

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldStartWith($"fault_call_log {path}: cannot append:");
    }

    [GeneratedRegex(@"^\d{13} (probe|terminate_connection)$")]
    private static partial Regex WholeLine();

    public void Dispose() => bed.Dispose();
}
