using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Api;

/// <summary>One pool of <c>get_pools</c>: Cinder's capability keys from the backend's last stats, plus Kiln's <c>driver_state</c> when asked for (<see cref="KilnExtensions"/>).</summary>
internal static class PoolView
{
    public static string Name(BackendSnapshot backend, PoolStats pool) => Core.Volumes.HostNames.Pool(backend.Host, pool.PoolName);

    public static Dictionary<string, object?> Summary(BackendSnapshot backend, PoolStats pool) => new() { ["name"] = Name(backend, pool) };

    public static Dictionary<string, object?> Detail(BackendSnapshot backend, BackendStats stats, PoolStats pool, bool extended)
    {
        var capabilities = new Dictionary<string, object?>(StringComparer.Ordinal);
        // Driver-specific capabilities first, so Cinder's standard keys cannot be shadowed by them.
        // Drivers hand capabilities over as text; Cinder's drivers report Python booleans, which Cinder
        // shows as JSON booleans (Tempest's schema wants QoS_support as one), so "True"/"False" are shown so.
        foreach (var (key, value) in pool.Capabilities)
        {
            capabilities[key] = value switch
            {
                "True" => true,
                "False" => false,
                _ => value,
            };
        }

        capabilities["pool_name"] = pool.PoolName;
        capabilities["total_capacity_gb"] = pool.TotalCapacityGb;
        capabilities["free_capacity_gb"] = pool.FreeCapacityGb;
        capabilities["allocated_capacity_gb"] = pool.AllocatedCapacityGb;
        capabilities["provisioned_capacity_gb"] = pool.ProvisionedCapacityGb;
        capabilities["reserved_percentage"] = pool.ReservedPercentage;
        capabilities["max_over_subscription_ratio"] = pool.MaxOverSubscriptionRatio;
        capabilities["thin_provisioning_support"] = pool.ThinProvisioningSupport;
        capabilities["thick_provisioning_support"] = pool.ThickProvisioningSupport;
        capabilities["volume_backend_name"] = stats.VolumeBackendName;
        capabilities["vendor_name"] = stats.VendorName;
        capabilities["driver_version"] = stats.DriverVersion;
        capabilities["storage_protocol"] = stats.StorageProtocol;
        capabilities["timestamp"] = ServiceView.Timestamp(backend.StatsUpdatedAt);
        if (extended)
        {
            capabilities["driver_state"] = backend.State.ToWireName();
        }

        return new Dictionary<string, object?> { ["name"] = Name(backend, pool), ["capabilities"] = capabilities };
    }
}
