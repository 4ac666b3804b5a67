using System.Text.Json;

namespace Kiln.Drivers.Cinder.Tests;

/// <summary>A Cinder driver's stats dict as Kiln's scheduler reads it.</summary>
public sealed class CinderStatsTests
{
    [Fact]
    public void Read_FakeLoggingVolumeDriversInfiniteCapacity_UnboundedAndNothingReserved()
    {
        // Exactly what cinder.tests.fake_driver.FakeLoggingVolumeDriver reports (through the host).
        var stats = Read("""
            {"volume_backend_name":"fake","vendor_name":"Open Source","driver_version":"3.0.0","storage_protocol":"fake",
             "pools":[{"pool_name":"fake","total_capacity_gb":"infinite","free_capacity_gb":"infinite","provisioned_capacity_gb":0,
             "reserved_percentage":100,"QoS_support":false,"filter_function":null,"replication_enabled":true}]}
            """);

        stats.VolumeBackendName.ShouldBe("fake");
        stats.StorageProtocol.ShouldBe("fake");
        var pool = stats.Pools.ShouldHaveSingleItem();
        pool.PoolName.ShouldBe("fake");
        pool.TotalCapacityGb.ShouldBe(CinderStats.UnboundedGb);
        pool.FreeCapacityGb.ShouldBe(CinderStats.UnboundedGb);
        pool.ReservedPercentage.ShouldBe(0);
        pool.Capabilities["QoS_support"].ShouldBe("False");
        pool.Capabilities["replication_enabled"].ShouldBe("True");
        pool.Capabilities.ShouldNotContainKey("filter_function");
    }

    [Fact]
    public void Read_NumericPool_ValuesKeptAsReported()
    {
        var stats = Read("""
            {"volume_backend_name":"lvm","storage_protocol":"iSCSI","pools":[{"pool_name":"cinder-volumes","total_capacity_gb":100.5,
             "free_capacity_gb":"40","reserved_percentage":10,"max_over_subscription_ratio":"20.0","thin_provisioning_support":true,
             "thick_provisioning_support":false,"provisioned_capacity_gb":60,"multiattach":true}]}
            """);

        var pool = stats.Pools.ShouldHaveSingleItem();
        pool.TotalCapacityGb.ShouldBe(100.5);
        pool.FreeCapacityGb.ShouldBe(40);
        pool.ReservedPercentage.ShouldBe(10);
        pool.MaxOverSubscriptionRatio.ShouldBe(20.0);
        pool.ThinProvisioningSupport.ShouldBeTrue();
        pool.ThickProvisioningSupport.ShouldBeFalse();
        pool.ProvisionedCapacityGb.ShouldBe(60);
        pool.Capabilities["multiattach"].ShouldBe("True");
    }

    [Fact]
    public void Read_NoPools_OnePoolNamedAfterTheBackendFromTheTopLevel()
    {
        var stats = Read("""{"total_capacity_gb":10,"free_capacity_gb":5,"storage_protocol":"NFS"}""", backend: "nfs-1");

        stats.VolumeBackendName.ShouldBe("nfs-1");
        var pool = stats.Pools.ShouldHaveSingleItem();
        pool.PoolName.ShouldBe("nfs-1");
        pool.TotalCapacityGb.ShouldBe(10);
        pool.FreeCapacityGb.ShouldBe(5);
    }

    private static Core.Drivers.BackendStats Read(string json, string backend = "b") =>
        CinderStats.Read(JsonDocument.Parse(json).RootElement, backend);
}
