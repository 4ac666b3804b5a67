namespace Kiln.Core.Scheduling;

/// <summary>Where a capability's value comes from: a field of the pool or its free-form capabilities.</summary>
internal enum PoolCapability
{
    /// <summary>An entry of <c>PoolStats.Capabilities</c>.</summary>
    Reported,
    VolumeBackendName,
    StorageProtocol,
    VendorName,
    DriverVersion,
    ThinProvisioningSupport,
    ThickProvisioningSupport,
    PoolName,
}
