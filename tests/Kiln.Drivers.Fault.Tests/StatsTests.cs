using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed class StatsTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    [Fact]
    public async Task GetStatsAsync_NoVolumes_ReportsOneEmptyThickPoolNamedAfterTheBackend()
    {
        var driver = bed.CreateDriver("fast", ("fault_capacity_gb", "250"));

        var stats = await driver.GetStatsAsync(FaultTestBed.Token);

        stats.VolumeBackendName.ShouldBe("fast");
        stats.VendorName.ShouldBe("Kiln");
        stats.StorageProtocol.ShouldBe("fault");
        var pool = stats.Pools.ShouldHaveSingleItem();
        pool.ShouldBeEquivalentTo(new PoolStats
        {
            PoolName = "fast",
            TotalCapacityGb = 250,
            FreeCapacityGb = 250,
            AllocatedCapacityGb = 0,
            ProvisionedCapacityGb = 0,
            ReservedPercentage = 0,
            MaxOverSubscriptionRatio = 1.0,
            ThinProvisioningSupport = false,
            ThickProvisioningSupport = true,
            // Several attachments per volume, so that multiattach types are placed on fault backends too.
            // Group snapshots are taken one snapshot after another, not as one consistent set.
            Capabilities = new Dictionary<string, string> { ["multiattach"] = "True", ["consistent_group_snapshot_enabled"] = "False" },
        });
    }

    [Fact]
    public async Task GetStatsAsync_NoCapacityOption_DefaultsToOneThousandGb()
    {
        var driver = bed.CreateDriver();

        var pool = (await driver.GetStatsAsync(FaultTestBed.Token)).Pools.ShouldHaveSingleItem();

        pool.TotalCapacityGb.ShouldBe(1000);
        pool.FreeCapacityGb.ShouldBe(1000);
    }

    [Fact]
    public async Task GetStatsAsync_VolumeBackendNameSet_PublishesItAndKeepsThePoolName()
    {
        var driver = bed.CreateDriver("fast", ("volume_backend_name", "gold"));

        var stats = await driver.GetStatsAsync(FaultTestBed.Token);

        stats.VolumeBackendName.ShouldBe("gold");
        stats.Pools.ShouldHaveSingleItem().PoolName.ShouldBe("fast");
    }

    [Fact]
    public async Task GetStatsAsync_StatsFail_ThrowsRecoverableDriverException()
    {
        bed.WriteControl("""{"stats": "fail"}""");
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<DriverException>(() => driver.GetStatsAsync(FaultTestBed.Token));

        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe("stats failure (fault_control_file stats=fail)");
    }

    [Fact]
    public async Task GetStatsAsync_StatsFail_LeavesSetupAndOperationsWorking()
    {
        bed.WriteControl("""{"stats": "fail"}""");
        var driver = bed.CreateDriver();

        await driver.SetupAsync(FaultTestBed.Token);
        await driver.CreateVolumeAsync(new VolumeRef("v1", 1), FaultTestBed.Token);
    }

    [Fact]
    public async Task GetStatsAsync_CapacityLoweredBelowAllocated_ReportsNoFreeSpaceRatherThanNegative()
    {
        var before = bed.CreateDriver(options: ("fault_capacity_gb", "100"));
        await before.CreateVolumeAsync(new VolumeRef("v1", 80), FaultTestBed.Token);

        var after = bed.CreateDriver(options: ("fault_capacity_gb", "50"));
        var pool = (await after.GetStatsAsync(FaultTestBed.Token)).Pools.ShouldHaveSingleItem();

        pool.AllocatedCapacityGb.ShouldBe(80);
        pool.FreeCapacityGb.ShouldBe(0);
    }

    public void Dispose() => bed.Dispose();
}
