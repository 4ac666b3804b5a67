namespace Kiln.Core.Volumes;

/// <summary>A volume as Kiln stores it.</summary>
public sealed record Volume
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>The user who created it (null for rows written before Kiln recorded users).</summary>
    public string? UserId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required int SizeGb { get; init; }

    public required VolumeStatus Status { get; init; }

    /// <summary>Where the volume lives: <c>host@backend#pool</c>; null until scheduled.</summary>
    public string? Host { get; init; }

    public required string AvailabilityZone { get; init; }

    public string? VolumeTypeId { get; init; }

    public string? SourceSnapshotId { get; init; }

    public string? SourceVolumeId { get; init; }

    /// <summary>The generic volume group the volume belongs to (Cinder's <c>group_id</c>, 3.13); null for none.</summary>
    public string? GroupId { get; init; }

    public string? ProviderLocation { get; init; }

    /// <summary>Cinder's provider_auth: the driver's export credentials (<c>CHAP user secret</c>), never shown by the API.</summary>
    public string? ProviderAuth { get; init; }

    /// <summary>Cinder's provider_id: the storage's own id of the volume, shown to administrators from 3.21.</summary>
    public string? ProviderId { get; init; }

    /// <summary>Why the volume is in an error status, or why its last migration failed; null otherwise.</summary>
    public string? ErrorReason { get; init; }

    /// <summary>
    /// Cinder's <c>migration_status</c>: null when the volume was never migrated, <c>migrating</c> while a
    /// migration (or a retype that needs one) copies it, then <c>success</c> or <c>error</c>
    /// (<see cref="MigrationStatuses"/>).
    /// </summary>
    public string? MigrationStatus { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Cinder's <c>bootable</c> flag, set by <c>os-set_bootable</c>.</summary>
    public bool Bootable { get; init; }

    /// <summary>
    /// Cinder's admin metadata (<c>readonly</c>, set by <c>os-update_readonly_flag</c>): written by
    /// administrators' actions only, never by the owner's metadata calls.
    /// </summary>
    public IReadOnlyDictionary<string, string> AdminMetadata { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The backend part of <see cref="Host"/> (<c>host@backend</c>), or null.</summary>
    public string? BackendHost => Host is null ? null : HostNames.Backend(Host);
}

/// <summary>A snapshot as Kiln stores it.</summary>
public sealed record Snapshot
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>The user who created it (null for rows written before Kiln recorded users).</summary>
    public string? UserId { get; init; }

    public required string VolumeId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required int SizeGb { get; init; }

    public required SnapshotStatus Status { get; init; }

    /// <summary>The group snapshot this snapshot was taken as part of (Cinder's <c>group_snapshot_id</c>, 3.14); null for none.</summary>
    public string? GroupSnapshotId { get; init; }

    public string? ProviderLocation { get; init; }

    /// <summary>Cinder's snapshot provider_auth, as the driver's create returned it; never shown by the API.</summary>
    public string? ProviderAuth { get; init; }

    /// <summary>Cinder's snapshot provider_id; Cinder's snapshot views do not show it.</summary>
    public string? ProviderId { get; init; }

    public string? ErrorReason { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Progress as last reported with <c>os-update_snapshot_status</c> (<c>80%</c>); null when none was.</summary>
    public string? Progress { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>A volume type and its extra specs (scheduler hints such as <c>volume_backend_name</c>).</summary>
public sealed record VolumeType
{
    /// <summary>Cinder's default type, created at first start.</summary>
    public const string DefaultName = "__DEFAULT__";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public bool IsPublic { get; init; } = true;

    /// <summary>The QoS specs associated with the type (Cinder's <c>qos_specs_id</c>), or null.</summary>
    public string? QosSpecsId { get; init; }

    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
}

/// <summary>Cinder host strings: <c>host@backend#pool</c>.</summary>
public static class HostNames
{
    /// <summary><c>host@backend</c> of <c>host@backend#pool</c>.</summary>
    public static string Backend(string host)
    {
        var hash = host.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? host : host[..hash];
    }

    public static string Pool(string backendHost, string pool) => $"{backendHost}#{pool}";
}
