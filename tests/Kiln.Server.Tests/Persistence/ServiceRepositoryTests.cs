using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Server.Persistence;

namespace Kiln.Server.Tests.Persistence;

public class ServiceRepositoryTests
{
    /// <summary>The engine these tests run on; <see cref="ServiceRepositoryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static readonly DateTimeOffset Start = TestDatabase.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static BackendSnapshot Failed => new()
    {
        Host = "node@fast",
        BackendName = "fast",
        State = BackendState.Failed,
        Since = Start.AddSeconds(3),
        ErrorClass = "DriverDependencyException",
        ErrorMessage = "storage not reachable",
        ReinitAttempts = 2,
        ReinitBudget = 3,
        NextAttemptAt = Start.AddSeconds(11),
    };

    private static BackendStats Stats => new()
    {
        VolumeBackendName = "fast",
        Pools =
        [
            new PoolStats
            {
                PoolName = "pool-1",
                TotalCapacityGb = 100.5,
                FreeCapacityGb = 40,
                ThinProvisioningSupport = true,
                Capabilities = new Dictionary<string, string> { ["multiattach"] = "True" },
            },
        ],
    };

    [Fact]
    public async Task HeartbeatAsync_FirstAndLater_CreatesThenMovesUpdatedAt()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await database.ServiceRecords.HeartbeatAsync(StoredService.SchedulerBinary, ["node"], "zone-a", Start, Cancel);
        await database.ServiceRecords.HeartbeatAsync(StoredService.SchedulerBinary, ["node"], "zone-a", Start.AddSeconds(10), Cancel);

        var service = (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem();
        service.ShouldBe(new StoredService { Binary = "cinder-scheduler", Host = "node", Zone = "zone-a", CreatedAt = Start, UpdatedAt = Start.AddSeconds(10) });
    }

    [Fact]
    public async Task HeartbeatAsync_ConcurrentFirstBeats_CreateOneRow()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await Race.RunAsync(8, i => database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start.AddSeconds(i), Cancel));

        (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem().Host.ShouldBe("node@fast");
    }

    [Fact]
    public async Task HeartbeatAsync_ManyHostsSomeKnown_UpdatesKnownCreatesNewInOneCall()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@b1", "node@b3"], "zone-a", Start, Cancel);
        string[] hosts = [.. Enumerable.Range(0, 1000).Select(i => $"node@b{i}")];

        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, hosts, "zone-a", Start.AddSeconds(10), Cancel);

        var services = await database.ServiceRecords.ListAsync(Cancel);
        services.Select(s => s.Host).ShouldBe(hosts.Order(StringComparer.Ordinal), ignoreOrder: true);
        services.ShouldAllBe(s => s.UpdatedAt == Start.AddSeconds(10) && s.Binary == StoredService.VolumeBinary);
        services.Where(s => s.CreatedAt == Start).Select(s => s.Host).ShouldBe(["node@b1", "node@b3"], ignoreOrder: true);
    }

    [Fact]
    public async Task HeartbeatAsync_ConcurrentOverlappingFirstBeats_OneRowPerHost()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await Race.RunAsync(8, i => database.ServiceRecords.HeartbeatAsync(
            StoredService.VolumeBinary, [.. Enumerable.Range(i, 20).Select(b => $"node@b{b}")], "zone-a", Start.AddSeconds(i), Cancel));

        (await database.ServiceRecords.ListAsync(Cancel)).Select(s => s.Host).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(0, 27).Select(b => $"node@b{b}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveBackendSnapshotsAsync_NoRowYet_CreatesTheVolumeServiceWithTheLifecycle()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        database.Time.Advance(TimeSpan.FromSeconds(1));

        await database.ServiceRecords.SaveBackendSnapshotsAsync("zone-a", [Failed], Cancel);

        var service = (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem();
        service.ShouldBe(new StoredService
        {
            Binary = "cinder-volume",
            Host = "node@fast",
            Zone = "zone-a",
            CreatedAt = Start.AddSeconds(1),
            UpdatedAt = null,
            DriverState = "failed",
            DriverError = "DriverDependencyException: storage not reachable",
            ReinitAttempts = 2,
            ReinitBudget = 3,
            ReinitNextAt = Start.AddSeconds(11),
            DriverStateSince = Start.AddSeconds(3),
        });
    }

    [Fact]
    public async Task SaveBackendSnapshotsAsync_ExistingRow_ReplacesTheLifecycleButNotHeartbeatOrDisabled()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start.AddSeconds(5), Cancel);
        await database.ServiceRecords.SetDisabledAsync("node@fast", StoredService.VolumeBinary, true, "maintenance", Cancel);
        await database.ServiceRecords.SaveBackendSnapshotsAsync("zone-a", [Failed], Cancel);
        var ready = Failed with
        {
            State = BackendState.Ready,
            Since = Start.AddSeconds(20),
            ErrorClass = null,
            ErrorMessage = null,
            ReinitAttempts = 0,
            NextAttemptAt = null,
            Stats = Stats,
            StatsUpdatedAt = Start.AddSeconds(21),
        };

        await database.ServiceRecords.SaveBackendSnapshotsAsync("zone-a", [ready], Cancel);

        var service = (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem();
        service.ShouldBe(new StoredService
        {
            Binary = "cinder-volume",
            Host = "node@fast",
            Zone = "zone-a",
            CreatedAt = Start.AddSeconds(5),
            UpdatedAt = Start.AddSeconds(5),
            Disabled = true,
            DisabledReason = "maintenance",
            DriverState = "ready",
            DriverError = null,
            ReinitAttempts = 0,
            ReinitBudget = 3,
            ReinitNextAt = null,
            DriverStateSince = Start.AddSeconds(20),
            StatsJson = service.StatsJson,
            StatsUpdatedAt = Start.AddSeconds(21),
        });
        service.StatsJson.ShouldNotBeNull();
        service.StatsJson.ShouldContain("\"total_capacity_gb\":100.5");
        var stats = BackendStatsJson.Deserialize(service.StatsJson)!;
        stats.ShouldBe(Stats with { Pools = stats.Pools });
        stats.Pools.ShouldHaveSingleItem().ShouldBe(Stats.Pools[0] with { Capabilities = stats.Pools[0].Capabilities });
        stats.Pools[0].Capabilities.ShouldBe(Stats.Pools[0].Capabilities);
    }

    [Fact]
    public async Task HeartbeatAsync_AfterSnapshot_KeepsTheLifecycle()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.SaveBackendSnapshotsAsync("zone-a", [Failed], Cancel);

        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start.AddSeconds(30), Cancel);

        var service = (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem();
        service.UpdatedAt.ShouldBe(Start.AddSeconds(30));
        service.DriverState.ShouldBe("failed");
        service.ReinitAttempts.ShouldBe(2);
    }

    [Fact]
    public async Task SetDisabledAsync_DisableThenEnable_SetsThenClearsTheReason()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start, Cancel);

        var disabled = await database.ServiceRecords.SetDisabledAsync("node@fast", StoredService.VolumeBinary, true, "disk swap", Cancel);
        var enabled = await database.ServiceRecords.SetDisabledAsync("node@fast", StoredService.VolumeBinary, false, "ignored", Cancel);

        disabled!.Disabled.ShouldBeTrue();
        disabled.DisabledReason.ShouldBe("disk swap");
        disabled.UpdatedAt.ShouldBe(Start);
        enabled!.Disabled.ShouldBeFalse();
        enabled.DisabledReason.ShouldBeNull();
        (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem().ShouldBe(enabled);
    }

    [Fact]
    public async Task SetDisabledAsync_NoSuchService_ReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start, Cancel);

        (await database.ServiceRecords.SetDisabledAsync("node@slow", StoredService.VolumeBinary, true, null, Cancel)).ShouldBeNull();
        (await database.ServiceRecords.SetDisabledAsync("node@fast", StoredService.SchedulerBinary, true, null, Cancel)).ShouldBeNull();

        (await database.ServiceRecords.ListAsync(Cancel)).ShouldHaveSingleItem().Disabled.ShouldBeFalse();
    }

    [Fact]
    public async Task ListAsync_OrdersByBinaryThenHost()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@slow"], "zone-a", Start, Cancel);
        await database.ServiceRecords.HeartbeatAsync(StoredService.SchedulerBinary, ["node"], "zone-a", Start, Cancel);
        await database.ServiceRecords.HeartbeatAsync(StoredService.VolumeBinary, ["node@fast"], "zone-a", Start, Cancel);

        (await database.ServiceRecords.ListAsync(Cancel)).Select(s => $"{s.Binary} {s.Host}")
            .ShouldBe(["cinder-scheduler node", "cinder-volume node@fast", "cinder-volume node@slow"]);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class ServiceRepositoryPostgreSqlTests : ServiceRepositoryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
