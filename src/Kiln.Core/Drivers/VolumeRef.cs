namespace Kiln.Core.Drivers;

/// <summary>The part of a volume a driver needs: identity, size and where it lives.</summary>
public sealed record VolumeRef(string Id, int SizeGb)
{
    /// <summary>Opaque location the driver returned when it created the volume (Cinder's provider_location).</summary>
    public string? ProviderLocation { get; init; }
}

/// <summary>The part of a snapshot a driver needs.</summary>
public sealed record SnapshotRef(string Id, VolumeRef Volume)
{
    /// <summary>Size of the snapshot; equals the volume's size when taken.</summary>
    public int SizeGb { get; init; } = Volume.SizeGb;

    public string? ProviderLocation { get; init; }
}

/// <summary>Driver-owned fields to store with a volume after an operation.</summary>
public sealed record VolumeUpdate(string? ProviderLocation = null)
{
    public static VolumeUpdate None { get; } = new();
}

/// <summary>The host asking for a connection (Cinder's connector dict, the fields Kiln uses).</summary>
public sealed record ConnectorInfo(string? Host, string? Initiator, string? Ip)
{
    public bool Multipath { get; init; }
}

/// <summary>How a host reaches a volume: <c>driver_volume_type</c> and its data, in Cinder's shape.</summary>
public sealed record ConnectionInfo(string DriverVolumeType, IReadOnlyDictionary<string, object?> Data);
