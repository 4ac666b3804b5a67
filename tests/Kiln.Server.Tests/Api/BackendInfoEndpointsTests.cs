using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>os-availability-zone, scheduler-stats/get_pools and capabilities: what the backends' lifecycle snapshots show.</summary>
public sealed class BackendInfoEndpointsTests
{
    private const string Stuck = """
        [stuck]
        volume_driver = fault
        fault_control_file = $DIR/hang.json
        """;

    private static Task<TestServer> StartWithStuckAsync() =>
        StartAsync("fast, stuck", Stuck, dir => File.WriteAllText(Path.Combine(dir, "hang.json"), """{"init": "hang"}"""));

    [Fact]
    public async Task AvailabilityZones_ReadyBackend_ZoneAvailable()
    {
        await using var server = await StartAsync();

        var zones = (await GetAsync(server, "os-availability-zone")).GetProperty("availabilityZoneInfo");

        var zone = zones.EnumerateArray().Single();
        zone.GetProperty("zoneName").GetString().ShouldBe("nova");
        zone.GetProperty("zoneState").GetProperty("available").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AvailabilityZones_NoBackendReady_ZoneUnavailable()
    {
        await using var server = await StartAsync();
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        var zone = (await GetAsync(server, "os-availability-zone")).GetProperty("availabilityZoneInfo")[0];

        zone.GetProperty("zoneState").GetProperty("available").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task GetPools_Summary_OnlyPoolsOfBackendsWithStats()
    {
        await using var server = await StartWithStuckAsync();

        var pools = (await GetAsync(server, "scheduler-stats/get_pools")).GetProperty("pools");

        var pool = pools.EnumerateArray().Single();
        pool.GetProperty("name").GetString().ShouldBe("node@fast#fast");
        pool.TryGetProperty("capabilities", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task GetPools_Detail_CinderCapabilityKeysAndDriverState()
    {
        await using var server = await StartAsync();
        server.KilnExtensions = true;

        var capabilities = (await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools")[0].GetProperty("capabilities");

        capabilities.GetProperty("pool_name").GetString().ShouldBe("fast");
        capabilities.GetProperty("total_capacity_gb").GetDouble().ShouldBe(1000);
        capabilities.GetProperty("free_capacity_gb").GetDouble().ShouldBe(1000);
        capabilities.GetProperty("allocated_capacity_gb").GetDouble().ShouldBe(0);
        capabilities.GetProperty("reserved_percentage").GetInt32().ShouldBe(0);
        capabilities.GetProperty("thick_provisioning_support").ValueKind.ShouldBeOneOf(JsonValueKind.True, JsonValueKind.False);
        capabilities.GetProperty("volume_backend_name").GetString().ShouldBe("fast");
        capabilities.GetProperty("storage_protocol").GetString().ShouldNotBeNullOrEmpty();
        capabilities.GetProperty("timestamp").GetString().ShouldBe("2026-01-01T00:00:00.000000");
        capabilities.GetProperty("driver_state").GetString().ShouldBe("ready");
        // The driver's "True" is shown as Cinder shows a driver's Python boolean (Tempest's schema checks QoS_support so).
        capabilities.GetProperty("multiattach").ValueKind.ShouldBe(JsonValueKind.True);
        server.KilnExtensions = false;
        (await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools")[0].GetProperty("capabilities")
            .TryGetProperty("driver_state", out _).ShouldBeFalse();
        foreach (var key in new[] { "provisioned_capacity_gb", "max_over_subscription_ratio", "thin_provisioning_support", "vendor_name", "driver_version" })
        {
            capabilities.TryGetProperty(key, out _).ShouldBeTrue(key);
        }
    }

    [Fact]
    public async Task GetPools_AfterCreate_AllocatedCapacityShown()
    {
        await using var server = await StartAsync();
        await CreateVolumeAsync(server, size: 5);
        await ReinitFastWithAsync(server, "{}", BackendState.Ready);

        var capabilities = (await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools")[0].GetProperty("capabilities");

        capabilities.GetProperty("allocated_capacity_gb").GetDouble().ShouldBe(5);
    }

    [Fact]
    public async Task GetPools_NameFilterFrom328_FiltersAndRefusesOthers()
    {
        await using var server = await StartAsync();

        (await GetAsync(server, "scheduler-stats/get_pools?name=node@fast%23fast", "3.28")).GetProperty("pools").GetArrayLength().ShouldBe(1);
        (await GetAsync(server, "scheduler-stats/get_pools?name=other", "3.28")).GetProperty("pools").GetArrayLength().ShouldBe(0);
        (await GetAsync(server, "scheduler-stats/get_pools?name=other")).GetProperty("pools").GetArrayLength().ShouldBe(1);
        (await ErrorAsync(server, HttpMethod.Get, "scheduler-stats/get_pools?color=red", null, HttpStatusCode.BadRequest, "3.28")).ShouldContain("Invalid filters color");
        (await ErrorAsync(server, HttpMethod.Get, "scheduler-stats/get_pools?detail=maybe", null, HttpStatusCode.BadRequest)).ShouldContain("detail");
    }

    [Fact]
    public async Task Capabilities_ReadyBackend_CinderShape()
    {
        await using var server = await StartAsync();

        var capabilities = await GetAsync(server, "capabilities/node@fast");

        capabilities.GetProperty("namespace").GetString().ShouldBe("OS::Storage::Capabilities::node@fast");
        capabilities.GetProperty("volume_backend_name").GetString().ShouldBe("fast");
        capabilities.GetProperty("pool_name").GetString().ShouldBe("fast");
        capabilities.GetProperty("vendor_name").GetString().ShouldNotBeNullOrEmpty();
        capabilities.GetProperty("driver_version").GetString().ShouldNotBeNullOrEmpty();
        capabilities.GetProperty("display_name").ValueKind.ShouldBe(JsonValueKind.Null);
        capabilities.GetProperty("visibility").ValueKind.ShouldBe(JsonValueKind.Null);
        capabilities.GetProperty("replication_targets").GetArrayLength().ShouldBe(0);
        capabilities.GetProperty("properties").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Capabilities_UnknownHost_NotFound()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, "capabilities/node@nope", null, HttpStatusCode.NotFound)).ShouldBe("Can't find service: node@nope");
    }

    [Fact]
    public async Task Capabilities_BackendWithoutStats_ConflictNamingTheState()
    {
        await using var server = await StartWithStuckAsync();

        (await ErrorAsync(server, HttpMethod.Get, "capabilities/node@stuck", null, HttpStatusCode.Conflict)).ShouldContain("Backend node@stuck is initializing");
    }
}
