using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>Snapshots as Cinder shows them, with the extended attributes a noauth caller sees, plus Kiln's additive <c>error_reason</c>.</summary>
internal static class SnapshotView
{
    /// <summary>Shown with 3.14+: group snapshots.</summary>
    public static ApiVersion GroupSnapshotId { get; } = new(3, 14);

    /// <summary>Shown with 3.41+: the user who created the snapshot.</summary>
    public static ApiVersion UserId { get; } = new(3, 41);

    /// <summary>Cinder's summary (<c>GET /snapshots</c>) already carries every base field; Kiln adds <c>error_reason</c>.</summary>
    public static Dictionary<string, object?> Summary(Snapshot snapshot) => new()
    {
        ["id"] = snapshot.Id,
        ["created_at"] = ServiceView.Timestamp(snapshot.CreatedAt),
        ["updated_at"] = ServiceView.Timestamp(snapshot.UpdatedAt),
        ["name"] = snapshot.Name,
        ["description"] = snapshot.Description,
        ["volume_id"] = snapshot.VolumeId,
        ["status"] = snapshot.Status.ToWireName(),
        ["size"] = snapshot.SizeGb,
        ["metadata"] = snapshot.Metadata,
        ["error_reason"] = snapshot.ErrorReason,
    };

    public static Dictionary<string, object?> Detail(Snapshot snapshot, ViewContext context)
    {
        var view = Summary(snapshot);
        if (context.Version >= GroupSnapshotId)
        {
            view["group_snapshot_id"] = null;
        }

        if (context.Version >= UserId)
        {
            view["user_id"] = null;
        }

        view["os-extended-snapshot-attributes:project_id"] = snapshot.ProjectId;
        // Drivers report no partial progress: a snapshot is complete exactly when it is available.
        view["os-extended-snapshot-attributes:progress"] = snapshot.Status == SnapshotStatus.Available ? "100%" : "0%";
        return view;
    }
}
