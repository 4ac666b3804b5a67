using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln config check</c>: offline validation of kiln.conf with the server's own rules.</summary>
public sealed class ConfigCheckTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-config-check-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Check_NoConfigOption_ValidatesTheEmbeddedDefaults()
    {
        var table = (await KilnCli.RunAsync(["config", "check"])).ShouldSucceedWithTable();
        var json = (await KilnCli.RunAsync(["config", "check", "-o", "json"])).ShouldSucceedWithJson();

        table.ShouldStartWith("embedded defaults: valid (0 errors, 0 warnings)");
        json.GetProperty("valid").GetBoolean().ShouldBeTrue();
        json.GetProperty("source").GetString().ShouldBe("embedded defaults");
        json.GetProperty("backends").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("file");
    }

    [Fact]
    public async Task Check_ReinitDriverCountZero_NotesThatCinderReadsItAsNoRetryAndStaysValid()
    {
        var path = Write("""
            [DEFAULT]
            enabled_backends = fast, slow, capped
            reinit_driver_count = 0

            [fast]
            volume_driver = fault

            [slow]
            volume_driver = fault

            [capped]
            volume_driver = fault
            reinit_driver_count = 3
            """);

        var table = (await KilnCli.RunAsync(["config", "check", "--config", path])).ShouldSucceedWithTable();
        var json = (await KilnCli.RunAsync(["config", "check", "-c", path, "-o", "json"])).ShouldSucceedWithJson();

        table.ShouldStartWith($"{path}: valid (0 errors, 0 warnings)");
        table.ShouldContain("note: [fast] reinit_driver_count = 0 means unlimited re-initializations in Kiln; in Cinder Zed it means no retry at all.");
        var notes = json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        notes.Count.ShouldBe(2);
        notes.ShouldContain(n => n.StartsWith("[slow] reinit_driver_count = 0 ", StringComparison.Ordinal));
        notes.ShouldNotContain(n => n.StartsWith("[capped]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_UpstreamCinderDriverSection_ValidWithoutWarningsForTheDriversOptions()
    {
        var path = Write("""
            [DEFAULT]
            enabled_backends = lvm

            [lvm]
            volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver
            volume_group = cinder-volumes
            target_helper = tgtadm
            """);

        var table = (await KilnCli.RunAsync(["config", "check", "--config", path])).ShouldSucceedWithTable();

        table.ShouldStartWith($"{path}: valid (0 errors, 0 warnings)");
    }

    [Fact]
    public async Task Check_EmbeddedDefaults_HaveNoNotes()
    {
        var json = (await KilnCli.RunAsync(["config", "check", "-o", "json"])).ShouldSucceedWithJson();

        json.GetProperty("notes").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Check_ValidFileWithUnknownOptions_ExitsZeroAndPrintsEachWarning()
    {
        var path = Write("""
            [DEFAULT]
            enabled_backends = fast
            volume_drvier = fault

            [fast]
            volume_driver = fault
            fault_extra = 1

            [orphan]
            x = 1
            """);

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);
        var json = (await KilnCli.RunAsync(["config", "check", "-c", path, "-o", "json"])).ShouldSucceedWithJson();

        var table = result.ShouldSucceedWithTable();
        table.ShouldStartWith($"{path}: valid (0 errors, 3 warnings)");
        table.ShouldContain($"warning: {path}:3: [DEFAULT] volume_drvier is not a known option and is ignored");
        table.ShouldContain($"warning: {path}:9: section [orphan] is not in enabled_backends and is ignored");
        table.ShouldContain("warning: [fast] fault_extra is not an option of the fault driver and is ignored");
        json.GetProperty("warnings").GetArrayLength().ShouldBe(3);
        json.GetProperty("errors").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Check_BadBackendSections_ExitsUsageAndReportsEveryProblemWithSectionAndOption()
    {
        var path = Write("""
            [DEFAULT]
            enabled_backends = fast, slow, typo, bare

            [fast]
            volume_driver = fault

            [slow]
            volume_driver = fault
            reinit_driver_count = -1
            driver_init_timeout = soon

            [typo]
            volume_driver = faultt
            reinit_backoff_initial = 30
            reinit_backoff_max = 20
            """);

        var result = await KilnCli.RunAsync(["config", "check", "--config", path, "-o", "json"]);

        result.ShouldExitWith(ExitCodes.Usage);
        var report = result.Json();
        report.EnumerateObject().Select(p => p.Name).ShouldBe(["valid", "source", "backends", "errors", "warnings", "notes"]);
        report.GetProperty("valid").GetBoolean().ShouldBeFalse();
        report.GetProperty("source").GetString().ShouldBe(path);
        report.GetProperty("backends").EnumerateArray().Select(b => (b.GetProperty("name").GetString(), b.GetProperty("valid").GetBoolean()))
            .ShouldBe([("fast", true), ("slow", false), ("typo", false), ("bare", false)]);
        var errors = report.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("section").GetString(), e.GetProperty("option").GetString(), e.GetProperty("message").GetString()))
            .ToList();
        errors.ShouldBe(
        [
            ("slow", "reinit_driver_count", "[slow] reinit_driver_count = '-1' is invalid: expected an integer >= 0"),
            ("slow", "driver_init_timeout", "[slow] driver_init_timeout = 'soon' is invalid: expected a number of seconds"),
            ("typo", "reinit_backoff_max", "[typo] reinit_backoff_max = '20' is invalid: must not be smaller than reinit_backoff_initial (30 s)"),
            ("typo", "volume_driver", "[typo] volume_driver = 'faultt' is invalid: unknown driver; known drivers: fault, file"),
            ("bare", "volume_driver", "[bare] volume_driver is not set; known drivers: fault, file"),
        ]);
        report.GetProperty("errors")[0].GetProperty("effect").GetString().ShouldBe("backend slow is unrecoverable; kiln serve and the other backends start");
    }

    [Fact]
    public async Task Check_BadBackendSectionsTable_PrintsOneErrorLinePerProblem()
    {
        var path = Write("""
            [DEFAULT]
            enabled_backends = slow

            [slow]
            volume_driver = fault
            stats_failure_threshold = 0
            """);

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);

        result.ShouldExitWith(ExitCodes.Usage);
        result.Stdout.ShouldStartWith($"{path}: invalid (1 error, 0 warnings)");
        result.Stdout.ShouldContain("error: [slow] stats_failure_threshold = '0' is invalid: expected an integer >= 1 — backend slow is unrecoverable");
        result.Stdout.ShouldContain("unrecoverable");
    }

    [Fact]
    public async Task Check_BadGlobalOption_ExitsUsageWithTheStartUpMessage()
    {
        var path = Write("""
            [DEFAULT]
            report_interval = 10
            service_down_time = 5
            """);

        var report = (await KilnCli.RunAsync(["config", "check", "--config", path, "-o", "json"])).ShouldExitWith(ExitCodes.Usage).Json();

        var error = report.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("message").GetString().ShouldBe($"{path}:3: [DEFAULT] service_down_time = '5' is invalid: expected a number of seconds greater than report_interval (10 s)");
        error.GetProperty("section").GetString().ShouldBe("DEFAULT");
        error.GetProperty("option").GetString().ShouldBe("service_down_time");
        error.GetProperty("effect").GetString().ShouldBe("kiln serve stops at start-up with exit code 2");
    }

    [Fact]
    public async Task Check_PolicyFileWithABadRule_ExitsUsageNamingTheFileAndRule()
    {
        var policy = Path.Combine(dir.FullName, "policy.yaml");
        await File.WriteAllTextAsync(policy, "\"volume:create\": \"role:admin or (\"\n", TestContext.Current.CancellationToken);
        var path = Write($"""
            [oslo_policy]
            policy_file = {policy}
            """);

        var result = await KilnCli.RunAsync(["config", "check", "--config", path]);

        result.ShouldExitWith(ExitCodes.Usage);
        result.Stdout.ShouldContain(policy);
        result.Stdout.ShouldContain("volume:create");
    }

    [Fact]
    public async Task Check_EnvironmentOverride_IsCheckedAndNamed()
    {
        var environment = new Dictionary<string, string> { ["KILN__DEFAULT__reinit_driver_count"] = "-1" };

        var result = await KilnCli.RunAsync(["config", "check"], environment);

        result.ShouldExitWith(ExitCodes.Usage);
        result.Stdout.ShouldContain("error: environment variable KILN__DEFAULT__reinit_driver_count: [DEFAULT] reinit_driver_count = '-1' is invalid: expected an integer >= 0");
    }

    [Fact]
    public async Task Check_MissingFile_ExitsUsageWithNoOptionNamed()
    {
        var path = Path.Combine(dir.FullName, "missing.conf");

        var report = (await KilnCli.RunAsync(["config", "check", "--config", path, "-o", "json"])).ShouldExitWith(ExitCodes.Usage).Json();

        var error = report.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("message").GetString().ShouldStartWith($"{path}: cannot read the configuration file");
        error.GetProperty("section").ValueKind.ShouldBe(JsonValueKind.Null);
        error.GetProperty("option").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private string Write(string text)
    {
        var path = Path.Combine(dir.FullName, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
