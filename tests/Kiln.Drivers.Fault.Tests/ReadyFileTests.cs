using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed class ReadyFileTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    private string NotReachable => $"storage not reachable: ready file {bed.ReadyPath} does not exist";

    [Theory]
    [MemberData(nameof(DriverCalls.LifecycleAndOperations), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_ReadyFileAbsent_ThrowsRecoverableNotReachable(string method)
    {
        var driver = bed.CreateDriver();
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");

        var error = await Should.ThrowAsync<DriverException>(() => DriverCalls.InvokeAsync(driver, method, FaultTestBed.Token));

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe(NotReachable);
        bed.CalledMethods()[^1].ShouldBe(method);
    }

    [Theory]
    [MemberData(nameof(DriverCalls.LifecycleAndOperations), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_ReadyFilePresent_Succeeds(string method)
    {
        var driver = bed.CreateDriver();
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");
        bed.MakeReady();

        await DriverCalls.InvokeAsync(driver, method, FaultTestBed.Token);
    }

    [Fact]
    public async Task ProbeAsync_ReadyFileAbsent_IsNotReadyWithReason()
    {
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");
        var driver = bed.CreateDriver();

        var result = await driver.ProbeAsync(FaultTestBed.Token);

        result.IsReady.ShouldBeFalse();
        result.Reason.ShouldBe(NotReachable);
    }

    [Fact]
    public async Task ProbeAsync_ReadyFileAppearsThenGoes_FollowsTheFile()
    {
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");
        var driver = bed.CreateDriver();
        (await driver.ProbeAsync(FaultTestBed.Token)).IsReady.ShouldBeFalse();

        bed.MakeReady();
        (await driver.ProbeAsync(FaultTestBed.Token)).ShouldBe(Kiln.Core.Drivers.ProbeResult.Ready);

        File.Delete(bed.ReadyPath);
        (await driver.ProbeAsync(FaultTestBed.Token)).IsReady.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"init": "transient"}""")]
    [InlineData("""{"init": "config", "stats": "fail", "ops": "fail"}""")]
    [InlineData("{}")]
    public async Task ProbeAsync_NoReadyFile_IsReadyWhateverElseFails(string control)
    {
        bed.WriteControl(control);
        var driver = bed.CreateDriver();

        (await driver.ProbeAsync(FaultTestBed.Token)).ShouldBe(Kiln.Core.Drivers.ProbeResult.Ready);
    }

    [Fact]
    public async Task SetupAsync_ReadyFileAppears_SucceedsOnTheNextCall()
    {
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");
        var driver = bed.CreateDriver();
        await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FaultTestBed.Token));

        bed.MakeReady();

        await driver.SetupAsync(FaultTestBed.Token);
    }

    [Fact]
    public async Task SetupAsync_ReadyFileAbsentAndInitConfig_ReportsUnreachableFirst()
    {
        // The ready_file check comes before the init mode, as an unreachable array answers nothing.
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}", "init": "config"}""");
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FaultTestBed.Token));

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe(NotReachable);
    }

    [Fact]
    public async Task SetupAsync_ReadyFileIsADirectory_CountsAsAbsent()
    {
        Directory.CreateDirectory(bed.ReadyPath);
        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FaultTestBed.Token));

        error.Message.ShouldBe(NotReachable);
    }

    public void Dispose() => bed.Dispose();
}
