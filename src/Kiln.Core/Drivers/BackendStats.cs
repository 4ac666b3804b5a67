namespace Kiln.Core.Drivers;

/// <summary>What a driver reports about its storage, in Cinder's stats vocabulary.</summary>
public sealed record BackendStats
{
    public required string VolumeBackendName { get; init; }

    public string VendorName { get; init; } = "Kiln";

    public string DriverVersion { get; init; } = "1.0.0";

    public string StorageProtocol { get; init; } = "iSCSI";

    public required IReadOnlyList<PoolStats> Pools { get; init; }
}

/// <summary>One pool of a backend: capacity in GiB and the capabilities the scheduler matches on.</summary>
public sealed record PoolStats
{
    public required string PoolName { get; init; }

    public double TotalCapacityGb { get; init; }

    public double FreeCapacityGb { get; init; }

    public double AllocatedCapacityGb { get; init; }

    public double ProvisionedCapacityGb { get; init; }

    public int ReservedPercentage { get; init; }

    public double MaxOverSubscriptionRatio { get; init; } = 1.0;

    public bool ThinProvisioningSupport { get; init; }

    public bool ThickProvisioningSupport { get; init; } = true;

    /// <summary>Further capabilities (<c>multiattach</c>, vendor keys) matched against volume-type extra specs.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; init; } = new Dictionary<string, string>();
}
