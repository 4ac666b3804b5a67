using Kiln.Core.Drivers;

namespace Kiln.Server.Api;

/// <summary>Cinder's capabilities document of one backend, from its last stats.</summary>
internal static class CapabilitiesView
{
    public static Dictionary<string, object?> Of(string host, BackendStats stats) => new()
    {
        ["namespace"] = $"OS::Storage::Capabilities::{host}",
        ["vendor_name"] = stats.VendorName,
        ["volume_backend_name"] = stats.VolumeBackendName,
        // Cinder reports a pool name only for a backend with a single pool.
        ["pool_name"] = stats.Pools.Count == 1 ? stats.Pools[0].PoolName : null,
        ["driver_version"] = stats.DriverVersion,
        ["storage_protocol"] = stats.StorageProtocol,
        ["display_name"] = null,
        ["description"] = null,
        ["visibility"] = null,
        ["replication_targets"] = Array.Empty<object>(),
        ["properties"] = new Dictionary<string, object>(),
    };
}
