namespace Kiln.Core.Volumes;

/// <summary>
/// Cinder's volume statuses, with their wire names. Kiln itself moves volumes only through the first
/// seven; the others exist so an administrator can set them with <c>os-reset_status</c> as in Cinder.
/// </summary>
public enum VolumeStatus
{
    Creating,
    Available,
    Deleting,
    Extending,
    Error,
    ErrorDeleting,
    ErrorExtending,
    ErrorManaging,
    Managing,
    Attaching,
    InUse,
    Detaching,
    Maintenance,
    RestoringBackup,
    ErrorRestoring,
    Reserved,
    AwaitingTransfer,
    BackingUp,
    ErrorBackingUp,
    Downloading,
    Uploading,
    Retyping,

    /// <summary>Reverting to its latest snapshot (3.40); Kiln's own, appended so the earlier values keep their order.</summary>
    Reverting,
}

/// <summary>Cinder's snapshot statuses but <c>deleted</c> (Kiln removes rows rather than marking them), with their wire names; Kiln itself uses the first five.</summary>
public enum SnapshotStatus
{
    Creating,
    Available,
    Deleting,
    Error,
    ErrorDeleting,
    Updating,
    Unmanaging,
    BackingUp,
    Restoring,
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
        VolumeStatus.ErrorManaging => "error_managing",
        VolumeStatus.Managing => "managing",
        VolumeStatus.Attaching => "attaching",
        VolumeStatus.InUse => "in-use",
        VolumeStatus.Detaching => "detaching",
        VolumeStatus.Maintenance => "maintenance",
        VolumeStatus.RestoringBackup => "restoring-backup",
        VolumeStatus.ErrorRestoring => "error_restoring",
        VolumeStatus.Reserved => "reserved",
        VolumeStatus.AwaitingTransfer => "awaiting-transfer",
        VolumeStatus.BackingUp => "backing-up",
        VolumeStatus.ErrorBackingUp => "error_backing-up",
        VolumeStatus.Downloading => "downloading",
        VolumeStatus.Uploading => "uploading",
        VolumeStatus.Retyping => "retyping",
        VolumeStatus.Reverting => "reverting",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToWireName(this SnapshotStatus status) => status switch
    {
        SnapshotStatus.Creating => "creating",
        SnapshotStatus.Available => "available",
        SnapshotStatus.Deleting => "deleting",
        SnapshotStatus.Error => "error",
        SnapshotStatus.ErrorDeleting => "error_deleting",
        SnapshotStatus.Updating => "updating",
        SnapshotStatus.Unmanaging => "unmanaging",
        SnapshotStatus.BackingUp => "backing-up",
        SnapshotStatus.Restoring => "restoring",
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

    /// <summary>
    /// Statuses a crash can leave a volume in; backend init resolves them. Only statuses Kiln sets while
    /// a driver call is in flight count: the others (attaching, maintenance, …) are set only by an
    /// administrator's reset, no work of Kiln's is behind them, so a restart leaves them as they are.
    /// </summary>
    public static bool IsTransitional(this VolumeStatus status) =>
        status is VolumeStatus.Creating or VolumeStatus.Deleting or VolumeStatus.Extending or VolumeStatus.Reverting;

    /// <summary>Whether Kiln itself moves volumes into this status (the others only an administrator's reset sets).</summary>
    public static bool IsKilnOwn(this VolumeStatus status) => status <= VolumeStatus.ErrorExtending;

    public static bool IsTransitional(this SnapshotStatus status) =>
        status is SnapshotStatus.Creating or SnapshotStatus.Deleting;
}
