using Kiln.Core.Drivers;

namespace Kiln.Drivers.Fault;

/// <summary>Builds the stats of a fault backend: one thick pool named after the backend.</summary>
internal static class FaultStats
{
    public static BackendStats Build(string backendName, string volumeBackendName, int capacityGb, long allocatedGb) => new()
    {
        VolumeBackendName = volumeBackendName,
        VendorName = "Kiln",
        StorageProtocol = "fault",
        Pools =
        [
            new PoolStats
            {
                PoolName = backendName,
                TotalCapacityGb = capacityGb,
                AllocatedCapacityGb = allocatedGb,
                ProvisionedCapacityGb = allocatedGb,

                // Volumes outlive a driver instance, so a lowered fault_capacity_gb can sit below what is allocated.
                FreeCapacityGb = Math.Max(0, capacityGb - allocatedGb),
                ReservedPercentage = 0,
                MaxOverSubscriptionRatio = 1.0,
                ThinProvisioningSupport = false,
                ThickProvisioningSupport = true,

                // As Cinder's drivers report it: types with multiattach="<is> True" are placed only where it is.
                // Its group snapshots are taken one by one (the driver's default), not as one consistent set: a
                // group type asking consistent_group_snapshot_enabled="<is> True" is placed elsewhere.
                Capabilities = new Dictionary<string, string> { ["multiattach"] = "True", ["consistent_group_snapshot_enabled"] = "False" },
            },
        ],
    };
}
