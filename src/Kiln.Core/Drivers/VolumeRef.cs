namespace Kiln.Core.Drivers;

/// <summary>The part of a volume a driver needs: identity, size and where it lives.</summary>
public sealed record VolumeRef(string Id, int SizeGb)
{
    /// <summary>Opaque location the driver returned when it created the volume (Cinder's provider_location).</summary>
    public string? ProviderLocation { get; init; }

    /// <summary>The driver's credentials for the volume's export (Cinder's provider_auth, <c>CHAP user secret</c>); never shown by the API.</summary>
    public string? ProviderAuth { get; init; }

    /// <summary>The storage's own id of the volume (Cinder's provider_id).</summary>
    public string? ProviderId { get; init; }

    /// <summary>
    /// The back-end QoS specs of the volume's type (consumer <c>back-end</c> or <c>both</c>), handed to
    /// the driver at create as Cinder hands <c>qos_specs</c>; empty when the type has none. A driver
    /// that cannot apply them ignores them and reports <c>QoS_support: False</c> in its stats.
    /// </summary>
    public IReadOnlyDictionary<string, string> QosSpecs { get; init; } = EmptySpecs;

    /// <summary>The volume type's encryption at create, or null for an unencrypted type.</summary>
    public VolumeEncryption? Encryption { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptySpecs = new Dictionary<string, string>();
}

/// <summary>The part of a snapshot a driver needs.</summary>
public sealed record SnapshotRef(string Id, VolumeRef Volume)
{
    /// <summary>Size of the snapshot; equals the volume's size when taken.</summary>
    public int SizeGb { get; init; } = Volume.SizeGb;

    /// <summary>What the driver's snapshot create returned (Cinder's snapshot provider_location).</summary>
    public string? ProviderLocation { get; init; }

    /// <summary>The snapshot's provider_auth, as its create returned it.</summary>
    public string? ProviderAuth { get; init; }

    /// <summary>The storage's own id of the snapshot (Cinder's snapshot provider_id).</summary>
    public string? ProviderId { get; init; }
}

/// <summary>
/// Driver-owned fields to store with a volume (or, from a snapshot create, a snapshot) after an operation: the
/// <c>provider_*</c> keys of Cinder's model update. Null is a field the driver did not set; the stored value stays.
/// </summary>
public sealed record VolumeUpdate(string? ProviderLocation = null)
{
    public static VolumeUpdate None { get; } = new();

    /// <summary>Cinder's provider_auth (<c>CHAP user secret</c>).</summary>
    public string? ProviderAuth { get; init; }

    /// <summary>Cinder's provider_id.</summary>
    public string? ProviderId { get; init; }

    /// <summary>Whether the driver set no field at all.</summary>
    public bool IsEmpty => ProviderLocation is null && ProviderAuth is null && ProviderId is null;
}

/// <summary>The host asking for a connection (Cinder's connector dict, the fields Kiln uses).</summary>
public sealed record ConnectorInfo(string? Host, string? Initiator, string? Ip)
{
    public bool Multipath { get; init; }
}

/// <summary>How a host reaches a volume: <c>driver_volume_type</c> and its data, in Cinder's shape.</summary>
public sealed record ConnectionInfo(string DriverVolumeType, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>
    /// The model update of the export made for this connection (Cinder's <c>create_export</c>), which Cinder saves
    /// with the volume before <c>initialize_connection</c>; never part of the connection info shown to the caller.
    /// </summary>
    public VolumeUpdate ExportUpdate { get; init; } = VolumeUpdate.None;
}
