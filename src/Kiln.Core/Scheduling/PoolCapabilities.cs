namespace Kiln.Core.Scheduling;

/// <summary>The capabilities of a pool by their Cinder names, read without allocating.</summary>
internal static class PoolCapabilities
{
    // Python's str(True): how Cinder shows a boolean capability.
    private const string True = "True";
    private const string False = "False";

    /// <summary>
    /// The pool's own fields come first: they are what the other filters use, so a stray entry in
    /// <c>Capabilities</c> cannot make a pool look different to the capabilities filter.
    /// </summary>
    public static PoolCapability Resolve(string name) => name switch
    {
        "volume_backend_name" => PoolCapability.VolumeBackendName,
        "storage_protocol" => PoolCapability.StorageProtocol,
        "vendor_name" => PoolCapability.VendorName,
        "driver_version" => PoolCapability.DriverVersion,
        "thin_provisioning_support" => PoolCapability.ThinProvisioningSupport,
        "thick_provisioning_support" => PoolCapability.ThickProvisioningSupport,
        "pool_name" => PoolCapability.PoolName,
        _ => PoolCapability.Reported,
    };

    /// <summary>The value, or null when the pool does not report the capability.</summary>
    public static string? ValueOf(PoolCandidate pool, PoolCapability source, string name) => source switch
    {
        PoolCapability.VolumeBackendName => pool.VolumeBackendName,
        PoolCapability.StorageProtocol => pool.StorageProtocol,
        PoolCapability.VendorName => pool.VendorName,
        PoolCapability.DriverVersion => pool.DriverVersion,
        PoolCapability.ThinProvisioningSupport => pool.Stats.ThinProvisioningSupport ? True : False,
        PoolCapability.ThickProvisioningSupport => pool.Stats.ThickProvisioningSupport ? True : False,
        PoolCapability.PoolName => pool.PoolName,
        _ => pool.Stats.Capabilities.TryGetValue(name, out var value) ? value : null,
    };
}
