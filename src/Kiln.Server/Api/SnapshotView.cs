using Kiln.Core.Volumes;
using Kiln.Server.Policy;

namespace Kiln.Server.Api;

/// <summary>
/// Snapshots exactly as Cinder shows them: the base view on list, create and update, the extended
/// attributes on show and detailed lists where policy allows them, and Kiln's <c>error_reason</c>
/// only on request (<see cref="KilnExtensions"/>).
/// </summary>
internal static class SnapshotView
{
    /// <summary>Shown with 3.14+: group snapshots.</summary>
    public static ApiVersion GroupSnapshotId { get; } = new(3, 14);

    /// <summary>Shown with 3.41+: the user who created the snapshot.</summary>
    public static ApiVersion UserId { get; } = new(3, 41);

    /// <summary>Shown with 3.65+: whether the snapshot counts against quota (every snapshot a user creates does).</summary>
    public static ApiVersion ConsumesQuota { get; } = new(3, 65);

    /// <summary>Cinder's base view (<c>GET /snapshots</c>, create, update).</summary>
    public static Dictionary<string, object?> Summary(Snapshot snapshot, ViewContext context)
    {
        var view = new Dictionary<string, object?>
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
        };
        if (context.Version >= GroupSnapshotId)
        {
            view["group_snapshot_id"] = null;
        }

        if (context.Version >= UserId)
        {
            view["user_id"] = snapshot.UserId;
        }

        if (context.Version >= ConsumesQuota)
        {
            view["consumes_quota"] = true;
        }

        if (context.Extended)
        {
            view["error_reason"] = snapshot.ErrorReason;
        }

        return view;
    }

    /// <summary>Show and detailed list: the base view plus the extended attributes policy allows.</summary>
    public static Dictionary<string, object?> Detail(Snapshot snapshot, ViewContext context)
    {
        var view = Summary(snapshot, context);
        if (context.May(CinderPolicyRules.SnapshotExtendedAttributes))
        {
            view["os-extended-snapshot-attributes:project_id"] = snapshot.ProjectId;
            // Drivers report no partial progress: unless os-update_snapshot_status said otherwise, a
            // snapshot is complete exactly when it is available.
            view["os-extended-snapshot-attributes:progress"] = snapshot.Progress ?? (snapshot.Status == SnapshotStatus.Available ? "100%" : "0%");
        }

        return view;
    }
}
