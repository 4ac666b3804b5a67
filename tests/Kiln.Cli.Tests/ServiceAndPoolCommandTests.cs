using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln service list</c> and <c>kiln pool list</c> against a server whose backends are in different states.</summary>
public sealed class ServiceAndPoolCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    private const string Host = KilnServerFixture.Host;

    [Fact]
    public async Task ServiceList_WideEnough_ShowsEachBackendsStateErrorAttemptsAndNextAttemptOnOneLine()
    {
        var table = (await server.RunWithColumnsAsync(300, "service", "list")).ShouldSucceedWithTable();

        var header = Row(table, "Host");
        foreach (var column in new[] { "Service", "State", "Driver state", "Attempts", "Next attempt", "Last error" })
        {
            header.ShouldContain(column);
        }

        Row(table, $"{Host}@fast ").ShouldContain("ready");
        Row(table, $"{Host}@fast ").ShouldContain("0/3");
        var broken = Row(table, $"{Host}@broken ");
        broken.ShouldContain("unrecoverable");
        broken.ShouldContain("DriverConfigurationException: configuration failure (fault_control_file init=config)");
        table.ShouldNotContain("…");
        var late = Row(table, $"{Host}@late ");
        late.ShouldContain("failed");
        late.ShouldContain("0/unlimited");
        late.ShouldMatch(@"\| (in \d+ s|due) +\|");
        late.ShouldContain("storage not reachable");
        Row(table, $"{Host}@hanging ").ShouldContain("initializing");
        Row(table, $"{Host} ").ShouldContain("| scheduler ");
        table.ShouldNotContain("cinder-");
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task ServiceList_NarrowWidth_FitsWithoutWrappingAndCutsTheErrorWithAnEllipsis(int columns)
    {
        var table = (await server.RunWithColumnsAsync(columns, "service", "list")).ShouldSucceedWithTable();

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => l.Length <= columns, table);
        // No word broken across lines: every backend is whole on its row.
        foreach (var backend in new[] { "fast", "broken", "late", "hanging", "stuck" })
        {
            lines.ShouldContain(l => l.Contains($"{Host}@{backend} ", StringComparison.Ordinal) && l.StartsWith('|'), table);
        }

        // Cut, whether in its column or on its own line under the table when the column would be too narrow.
        lines.ShouldContain(l => l.Contains("DriverConfigurationException", StringComparison.Ordinal) && l.Contains('…'), table);
        table.ShouldNotContain("(fault_control_file init=config)");
    }

    [Fact]
    public async Task ServiceList_Piped_FitsOneHundredTwentyColumns()
    {
        var table = (await server.RunAsync("service", "list")).ShouldSucceedWithTable();

        table.Split('\n').ShouldAllBe(l => l.Length <= 120, table);
        Row(table, $"{Host}@broken ").ShouldContain("DriverConfigurationException");
    }

    [Fact]
    public async Task ServiceShow_FailedBackend_TellsTheWholeStory()
    {
        var table = (await server.RunWithColumnsAsync(300, "service", "show", $"{Host}@late")).ShouldSucceedWithTable();

        Row(table, "Driver state").ShouldContain("failed");
        Row(table, "Since").ShouldMatch(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+ (s|min) ago\)");
        Row(table, "Last error").ShouldContain("DriverException: storage not reachable: ready file");
        Row(table, "Last error").ShouldContain("does not exist");
        Row(table, "Re-initializations").ShouldContain("no limit (reinit_driver_count = 0)");
        Row(table, "Next attempt").ShouldMatch(@"(in \d+ s|due) \(\d{4}-");
        Row(table, "History").ShouldMatch(@"initialization attempts since the service started: .*\d+ recoverable");
        Row(table, "State").ShouldContain("up (last heartbeat");
    }

    [Fact]
    public async Task ServiceShow_Json_CarriesTheServiceAndItsAttemptsByOutcome()
    {
        var details = (await server.RunAsync("service", "show", $"{Host}@broken", "-o", "json")).ShouldSucceedWithJson();

        details.GetProperty("service").GetProperty("driver_state").GetString().ShouldBe("unrecoverable");
        details.GetProperty("service").GetProperty("driver_error").GetString().ShouldBe("DriverConfigurationException: configuration failure (fault_control_file init=config)");
        var attempts = details.GetProperty("init_attempts");
        attempts.GetProperty("unrecoverable").GetInt64().ShouldBe(1);
        attempts.GetProperty("success").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task ServiceShow_BareHost_ShowsTheSchedulerWithoutALifecycle()
    {
        var table = (await server.RunAsync("service", "show", Host)).ShouldSucceedWithTable();

        Row(table, "Service").ShouldContain("cinder-scheduler");
        table.ShouldNotContain("Driver state");
        table.ShouldNotContain("History");
    }

    [Fact]
    public async Task ServiceShow_UnknownHost_ExitsNotFoundNamingTheKnownOnes()
    {
        var error = (await server.RunAsync("service", "show", $"{Host}@nope")).ShouldFailWithOneLine(ExitCodes.NotFound);

        error.ShouldContain($"no service has host '{Host}@nope'");
        error.ShouldContain($"{Host}@fast");
    }

    [Fact]
    public async Task ServiceList_Json_CarriesTheLifecycleFieldsOfEveryBackend()
    {
        var services = (await server.RunAsync("service", "list", "-o", "json")).ShouldSucceedWithJson();

        services.ValueKind.ShouldBe(JsonValueKind.Array);
        var late = services.EnumerateArray().Single(s => s.GetProperty("host").GetString() == $"{Host}@late");
        late.EnumerateObject().Select(p => p.Name).ShouldBe(
        [
            "binary", "host", "zone", "status", "state", "updated_at", "disabled_reason", "backend_state", "driver_state",
            "driver_error", "reinit_attempts", "reinit_budget", "reinit_next_at", "driver_state_since",
        ]);
        late.GetProperty("driver_state").GetString().ShouldBe("failed");
        late.GetProperty("backend_state").GetString().ShouldBe("down");
        late.GetProperty("reinit_budget").GetInt32().ShouldBe(0);
        late.GetProperty("reinit_next_at").GetString().ShouldEndWith("Z");
        var scheduler = services.EnumerateArray().Single(s => s.GetProperty("binary").GetString() == "cinder-scheduler");
        scheduler.GetProperty("driver_state").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task PoolList_TableAndJson_ShowCapacityAndBackendState()
    {
        var pools = (await server.RunAsync("pool", "list", "-o", "json")).ShouldSucceedWithJson();
        var table = (await server.RunAsync("pool", "list")).ShouldSucceedWithTable();

        var fast = pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == $"{Host}@fast#fast");
        fast.EnumerateObject().Select(p => p.Name).ShouldBe(
        [
            "name", "backend", "pool", "driver_state", "volume_backend_name", "total_capacity_gb", "free_capacity_gb", "allocated_capacity_gb",
            "stats_updated_at", "provisioned_capacity_gb", "max_over_subscription_ratio", "reserved_percentage", "thin_provisioning_support",
        ]);
        fast.GetProperty("backend").GetString().ShouldBe($"{Host}@fast");
        fast.GetProperty("driver_state").GetString().ShouldBe("ready");
        fast.GetProperty("total_capacity_gb").GetDouble().ShouldBe(100);
        fast.GetProperty("max_over_subscription_ratio").GetDouble().ShouldBe(1);
        fast.GetProperty("thin_provisioning_support").GetBoolean().ShouldBeFalse();
        // Backends that never published stats have no pool.
        pools.EnumerateArray().ShouldNotContain(p => p.GetProperty("backend").GetString() == $"{Host}@broken");
        Row(table, "Name").ShouldMatch(@"\| Name +\| State +\| Total +\| Free +\| Provisioned +\| Limit +\|");
        Row(table, $"{Host}@fast#fast").ShouldMatch(@"\| ready +\| 100 +\| [\d.]+ +\| [\d.]+ +\| thick +\|");
    }

    [Fact]
    public async Task PoolList_AfterCreatingThreeGb_ShowsThemProvisioned()
    {
        var before = await ProvisionedAsync();

        await server.CreateVolumeAsync("three", size: 3);

        // The pool's numbers are the backend's stats, published every second on fast.
        await Poll.UntilAsync(ProvisionedAsync, provisioned => provisioned >= before + 3, TimeSpan.FromSeconds(15), provisioned => $"fast's stats still show {provisioned} GB provisioned, not {before + 3}", TestContext.Current.CancellationToken);

        var table = (await server.RunAsync("pool", "list")).ShouldSucceedWithTable();
        Row(table, $"{Host}@fast#fast").ShouldMatch($@"\| ready +\| 100 +\| {100 - before - 3} +\| {before + 3} +\| thick +\|");
    }

    [Fact]
    public async Task PoolListHelp_ExplainsEachColumn()
    {
        var help = (await KilnCli.RunAsync(["pool", "list", "--help"])).ShouldSucceedWithTable();

        foreach (var term in new[] { "Total", "Free", "Provisioned", "Limit", "max_over_subscription_ratio", "provisioned_capacity_gb", "allocated_capacity_gb", "thick" })
        {
            help.ShouldContain(term);
        }
    }

    private async Task<double> ProvisionedAsync()
    {
        var pools = (await server.RunAsync("pool", "list", "-o", "json")).ShouldSucceedWithJson();
        return pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == $"{Host}@fast#fast").GetProperty("provisioned_capacity_gb").GetDouble();
    }

    /// <summary>The table line whose cells include one that starts with <paramref name="cell"/>.</summary>
    private static string Row(string table, string cell) =>
        table.Split('\n').Single(l => l.Contains("| " + cell, StringComparison.Ordinal));
}
