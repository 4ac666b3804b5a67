namespace Kiln.Server.Groups;

/// <summary>A group type (Cinder 3.11) and its group specs.</summary>
public sealed record GroupType
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public bool IsPublic { get; init; } = true;

    public IReadOnlyDictionary<string, string> GroupSpecs { get; init; } = new Dictionary<string, string>();
}

/// <summary>A generic volume group (Cinder 3.13): volumes of the listed types on one backend.</summary>
public sealed record Group
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public string? UserId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required GroupStatus Status { get; init; }

    public required string AvailabilityZone { get; init; }

    public required string GroupTypeId { get; init; }

    /// <summary>The volume types the group's volumes may have, in the order given at create.</summary>
    public IReadOnlyList<string> VolumeTypeIds { get; init; } = [];

    /// <summary>Where the group's volumes live: <c>host@backend#pool</c>; null until scheduled.</summary>
    public string? Host { get; init; }

    public string? GroupSnapshotId { get; init; }

    public string? SourceGroupId { get; init; }

    public string? ErrorReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The backend part of <see cref="Host"/> (<c>host@backend</c>), or null.</summary>
    public string? BackendHost => Host is null ? null : Core.Volumes.HostNames.Backend(Host);
}

/// <summary>A group snapshot (Cinder 3.14): one snapshot of each volume of a group, taken as a set.</summary>
public sealed record GroupSnapshot
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public string? UserId { get; init; }

    public required string GroupId { get; init; }

    public required string GroupTypeId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required GroupStatus Status { get; init; }

    public string? ErrorReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>Cinder's group and group snapshot statuses that Kiln uses (replication ones excluded).</summary>
public enum GroupStatus
{
    Creating,
    Available,
    Deleting,
    Error,
    ErrorDeleting,
    Updating,
    InUse,
}

/// <summary>Wire names of <see cref="GroupStatus"/>.</summary>
public static class GroupStatusNames
{
    public static string ToWireName(this GroupStatus status) => status switch
    {
        GroupStatus.Creating => "creating",
        GroupStatus.Available => "available",
        GroupStatus.Deleting => "deleting",
        GroupStatus.Error => "error",
        GroupStatus.ErrorDeleting => "error_deleting",
        GroupStatus.Updating => "updating",
        GroupStatus.InUse => "in-use",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? text, out GroupStatus status)
    {
        foreach (var candidate in Enum.GetValues<GroupStatus>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Whether the status is one a worker moves out of (creating, deleting, updating).</summary>
    public static bool IsTransitional(this GroupStatus status) => status is GroupStatus.Creating or GroupStatus.Deleting or GroupStatus.Updating;
}
