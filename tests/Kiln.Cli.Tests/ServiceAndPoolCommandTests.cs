using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary><c>kiln service list</c> and <c>kiln pool list</c> against a server whose backends are in different states.</summary>
public sealed class ServiceAndPoolCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    private const string Host = KilnServerFixture.Host;

    [Fact]
    public async Task ServiceList_Table_ShowsEachBackendsStateErrorAttemptsAndNextAttempt()
    {
        var table = (await server.RunAsync("service", "list")).ShouldSucceedWithTable();

        var header = Row(table, "Binary");
        foreach (var column in new[] { "Host", "Status", "State", "Driver state", "Attempts", "Next attempt", "Last error" })
        {
            header.ShouldContain(column);
        }

        Row(table, $"{Host}@fast ").ShouldContain("ready");
        Row(table, $"{Host}@fast ").ShouldContain("0/3");
        var broken = Row(table, $"{Host}@broken ");
        broken.ShouldContain("unrecoverable");
        broken.ShouldContain("DriverConfigurationException: configuration failure");
        var late = Row(table, $"{Host}@late ");
        late.ShouldContain("failed");
        late.ShouldContain("0/unlimited");
        late.ShouldMatch(@"\| (in \d+ s|due) +\|");
        late.ShouldContain("storage not reachable");
        Row(table, $"{Host}@hanging ").ShouldContain("initializing");
        Row(table, "cinder-scheduler").ShouldContain("up");
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
            ["name", "backend", "pool", "driver_state", "volume_backend_name", "total_capacity_gb", "free_capacity_gb", "allocated_capacity_gb", "stats_updated_at"]);
        fast.GetProperty("backend").GetString().ShouldBe($"{Host}@fast");
        fast.GetProperty("driver_state").GetString().ShouldBe("ready");
        fast.GetProperty("total_capacity_gb").GetDouble().ShouldBe(100);
        // Backends that never published stats have no pool.
        pools.EnumerateArray().ShouldNotContain(p => p.GetProperty("backend").GetString() == $"{Host}@broken");
        Row(table, "Name").ShouldContain("Backend state");
        Row(table, $"{Host}@fast#fast").ShouldMatch(@"\| ready +\| 100 +\|");
    }

    /// <summary>The table line whose cells include one that starts with <paramref name="cell"/>.</summary>
    private static string Row(string table, string cell) =>
        table.Split('\n').Single(l => l.Contains("| " + cell, StringComparison.Ordinal));
}
