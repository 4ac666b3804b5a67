namespace Kiln.Core.Volumes;

/// <summary>Volume statuses Kiln uses, with Cinder's wire names.</summary>
public enum VolumeStatus
{
    Creating,
    Available,
    Deleting,
    Extending,
    Error,
    ErrorDeleting,
    ErrorExtending,
}

/// <summary>Snapshot statuses Kiln uses, with Cinder's wire names.</summary>
public enum SnapshotStatus
{
    Creating,
    Available,
    Deleting,
    Error,
    ErrorDeleting,
}

/// <summary>Wire names (<c>error_deleting</c>) and parsing of the status enums.</summary>
public static class StatusNames
{
    public static string ToWireName(this VolumeStatus status) => status switch
    {
        VolumeStatus.Creating => "creating",
        VolumeStatus.Available => "available",
        VolumeStatus.Deleting => "deleting",
        VolumeStatus.Extending => "extending",
        VolumeStatus.Error => "error",
        VolumeStatus.ErrorDeleting => "error_deleting",
        VolumeStatus.ErrorExtending => "error_extending",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToWireName(this SnapshotStatus status) => status switch
    {
        SnapshotStatus.Creating => "creating",
        SnapshotStatus.Available => "available",
        SnapshotStatus.Deleting => "deleting",
        SnapshotStatus.Error => "error",
        SnapshotStatus.ErrorDeleting => "error_deleting",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseVolume(string? text, out VolumeStatus status)
    {
        foreach (var candidate in Enum.GetValues<VolumeStatus>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static bool TryParseSnapshot(string? text, out SnapshotStatus status)
    {
        foreach (var candidate in Enum.GetValues<SnapshotStatus>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Statuses a crash can leave a volume in; backend init resolves them.</summary>
    public static bool IsTransitional(this VolumeStatus status) =>
        status is VolumeStatus.Creating or VolumeStatus.Deleting or VolumeStatus.Extending;

    public static bool IsTransitional(this SnapshotStatus status) =>
        status is SnapshotStatus.Creating or SnapshotStatus.Deleting;
}
