using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed class ControlFileTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    public static TheoryData<string, string, string> InvalidContents => new()
    {
        { "malformed JSON", """{"init": """, """content '{"init": ' is not valid JSON""" },
        { "not JSON at all", "init=transient", "content 'init=transient' is not valid JSON" },
        { "empty file", string.Empty, "content '' is not valid JSON" },
        { "init outside the list", """{"init": "sometimes"}""", "\"init\" = \"sometimes\" is invalid: expected one of ok, transient, config, unsupported, dependency, hang" },
        { "stats outside the list", """{"stats": "flaky"}""", "\"stats\" = \"flaky\" is invalid: expected one of ok, fail" },
        { "ops in the wrong case", """{"ops": "FAIL"}""", "\"ops\" = \"FAIL\" is invalid: expected one of ok, fail, hang, unsupported" },
        { "unknown field", """{"init": "ok", "colour": "red"}""", "\"colour\" is not a known field" },
        { "field name in the wrong case", """{"Init": "ok"}""", "\"Init\" is not a known field" },
        { "number for init", """{"init": 3}""", "\"init\" = 3 is invalid" },
        { "boolean for ops", """{"ops": true}""", "\"ops\" = true is invalid" },
        { "object for stats", """{"stats": {"mode": "fail"}}""", "\"stats\" = {\"mode\": \"fail\"} is invalid" },
        { "number for ready_file", """{"ready_file": 42}""", "\"ready_file\" = 42 is invalid: expected a non-empty path string" },
        { "null ready_file", """{"ready_file": null}""", "\"ready_file\" = null is invalid" },
        { "empty ready_file", """{"ready_file": ""}""", "\"ready_file\" = \"\" is invalid" },
        { "array at the top", """["init", "hang"]""", "top-level value [\"init\", \"hang\"] is invalid: expected a JSON object" },
        { "string at the top", "\"hang\"", "top-level value \"hang\" is invalid: expected a JSON object" },
        { "duplicate field", """{"init": "ok", "init": "hang"}""", "\"init\" appears more than once" },
    };

    [Theory]
    [MemberData(nameof(InvalidContents))]
    public async Task SetupAsync_InvalidControlFile_ThrowsConfigurationErrorNamingPathAndValue(string name, string content, string expected)
    {
        bed.WriteControl(content);
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(FaultTestBed.Token), name);

        error.Message.ShouldStartWith($"fault_control_file {bed.ControlPath}: {expected}", Case.Sensitive, name);
    }

    [Theory]
    [MemberData(nameof(DriverCalls.All), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_InvalidControlFile_ThrowsConfigurationError(string method)
    {
        var driver = bed.CreateDriver();
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl("""{"init": "sometimes"}""");

        var error = await Should.ThrowAsync<DriverConfigurationException>(() => DriverCalls.InvokeAsync(driver, method, FaultTestBed.Token));

        error.Message.ShouldContain(bed.ControlPath);
        error.Message.ShouldContain("\"sometimes\"");
        bed.CalledMethods()[^1].ShouldBe(method);
    }

    [Fact]
    public async Task SetupAsync_HugeInvalidContent_QuotesOnlyItsStart()
    {
        bed.WriteControl("{\"init\": \"" + new string('x', 10_000));
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(FaultTestBed.Token));

        error.Message.ShouldContain(bed.ControlPath);
        error.Message.ShouldContain("{\"init\": \"xxxx");
        error.Message.Length.ShouldBeLessThan(500);
    }

    [Fact]
    public void Parse_EveryField_ReadsEachValue()
    {
        var control = ControlFile.Parse("c.json", """{"init": "hang", "ready_file": "/run/ready", "stats": "fail", "ops": "fail"}""");

        control.ShouldBe(new FaultControl(InitFault.Hang, "/run/ready", FailStats: true, Ops: OpsFault.Fail));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"init": "ok", "stats": "ok", "ops": "ok"}""")]
    [InlineData(" {\n} \n")]
    public void Parse_NoFaultAsked_IsAllOk(string content) =>
        ControlFile.Parse("c.json", content).ShouldBe(FaultControl.AllOk);

    [Theory]
    [InlineData("ok", nameof(InitFault.Ok))]
    [InlineData("transient", nameof(InitFault.Transient))]
    [InlineData("config", nameof(InitFault.Config))]
    [InlineData("unsupported", nameof(InitFault.Unsupported))]
    [InlineData("dependency", nameof(InitFault.Dependency))]
    [InlineData("hang", nameof(InitFault.Hang))]
    public void Parse_EachInitValue_MapsToItsMode(string text, string expected) =>
        ControlFile.Parse("c.json", $$"""{"init": "{{text}}"}""").Init.ToString().ShouldBe(expected);

    [Fact]
    public async Task SetupAsync_ControlFileRewrittenBetweenCalls_FollowsTheNewContent()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"init": "transient"}""");
        await Should.ThrowAsync<DriverException>(() => driver.SetupAsync(FaultTestBed.Token));

        bed.WriteControl("""{"init": "ok"}""");
        await driver.SetupAsync(FaultTestBed.Token);

        bed.WriteControl("""{"init": "unsupported"}""");
        await Should.ThrowAsync<DriverNotSupportedException>(() => driver.SetupAsync(FaultTestBed.Token));
    }

    [Fact]
    public async Task GetStatsAsync_ControlFileDeletedAfterFailure_SucceedsAgain()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"stats": "fail"}""");
        await Should.ThrowAsync<DriverException>(() => driver.GetStatsAsync(FaultTestBed.Token));

        File.Delete(bed.ControlPath);

        (await driver.GetStatsAsync(FaultTestBed.Token)).Pools.Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateVolumeAsync_OpsTurnedOffThenOn_FailsOnlyWhileFailIsSet()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("""{"ops": "fail"}""");
        await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeAsync(new VolumeRef("v1", 1), FaultTestBed.Token));

        bed.WriteControl("""{"ops": "ok"}""");

        var update = await driver.CreateVolumeAsync(new VolumeRef("v1", 1), FaultTestBed.Token);
        update.ProviderLocation.ShouldBe("fault://fault1/v1");
    }

    [Fact]
    public async Task ProbeAsync_ReadyFileAddedToControlFile_BecomesNotReady()
    {
        var driver = bed.CreateDriver();
        bed.WriteControl("{}");
        (await driver.ProbeAsync(FaultTestBed.Token)).IsReady.ShouldBeTrue();

        bed.WriteControl($$"""{"ready_file": "{{bed.ReadyPath}}"}""");

        (await driver.ProbeAsync(FaultTestBed.Token)).IsReady.ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(DriverCalls.All), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_NoControlFileOption_Succeeds(string method)
    {
        var driver = bed.CreateDriver(new BackendSection("fault1", new Dictionary<string, string>()));
        await DriverCalls.SeedAsync(driver);

        await DriverCalls.InvokeAsync(driver, method, FaultTestBed.Token);
    }

    [Theory]
    [MemberData(nameof(DriverCalls.All), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_ControlFileAbsent_Succeeds(string method)
    {
        var driver = bed.CreateDriver(options: ("fault_control_file", bed.PathOf("missing/control.json")));
        await DriverCalls.SeedAsync(driver);

        await DriverCalls.InvokeAsync(driver, method, FaultTestBed.Token);
    }

    public void Dispose() => bed.Dispose();
}
