namespace Kiln.Server.Volumes;

/// <summary>The fields of a volume create request after JSON parsing (not yet validated).</summary>
public sealed record CreateVolumeRequest
{
    public int? Size { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Type id or name.</summary>
    public string? VolumeType { get; init; }

    public string? AvailabilityZone { get; init; }

    public string? SnapshotId { get; init; }

    public string? SourceVolumeId { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The generic volume group to create the volume in (3.13); null for none.</summary>
    public string? GroupId { get; init; }
}

/// <summary>The fields of a snapshot create request.</summary>
public sealed record CreateSnapshotRequest
{
    public string? VolumeId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool Force { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
