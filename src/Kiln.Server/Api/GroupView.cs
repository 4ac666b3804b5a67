using Kiln.Server.Groups;
using Kiln.Server.Policy;

namespace Kiln.Server.Api;

/// <summary>Groups and group snapshots exactly as Cinder's <c>views/groups.py</c> and <c>views/group_snapshots.py</c> show them.</summary>
internal static class GroupView
{
    /// <summary>3.14+: a group shows the group snapshot or source group it was made from.</summary>
    public static ApiVersion GroupSnapshots { get; } = new(3, 14);

    /// <summary>3.25+: <c>list_volume=true</c> adds the ids of the group's volumes.</summary>
    public static ApiVersion VolumeList { get; } = new(3, 25);

    /// <summary>3.38+: the group's replication status (Kiln has no group replication: <c>disabled</c>).</summary>
    public static ApiVersion Replication { get; } = new(3, 38);

    /// <summary>3.58+: the owning project, where policy allows it.</summary>
    public static ApiVersion ProjectId { get; } = new(3, 58);

    public static Dictionary<string, object?> Summary(Group group) => new() { ["id"] = group.Id, ["name"] = group.Name };

    public static Dictionary<string, object?> Detail(Group group, ViewContext context, IReadOnlyList<string>? volumeIds)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = group.Id,
            ["status"] = group.Status.ToWireName(),
            ["availability_zone"] = group.AvailabilityZone,
            ["created_at"] = ServiceView.Timestamp(group.CreatedAt),
            ["name"] = group.Name,
            ["description"] = group.Description,
            ["group_type"] = group.GroupTypeId,
            ["volume_types"] = group.VolumeTypeIds,
        };
        var version = context.Version;
        if (version >= GroupSnapshots)
        {
            view["group_snapshot_id"] = group.GroupSnapshotId;
            view["source_group_id"] = group.SourceGroupId;
        }

        if (version >= VolumeList && volumeIds is not null)
        {
            view["volumes"] = volumeIds;
        }

        if (version >= Replication)
        {
            view["replication_status"] = "disabled";
        }

        if (version >= ProjectId && context.May(GroupPolicyRules.ProjectAttribute))
        {
            view["project_id"] = group.ProjectId;
        }

        if (context.Extended)
        {
            view["error_reason"] = group.ErrorReason;
        }

        return view;
    }

    /// <summary>The answer to a create: Cinder's summary, with the group type id (<paramref name="withType"/>; a list drops it).</summary>
    public static Dictionary<string, object?> SnapshotSummary(GroupSnapshot snapshot, bool withType)
    {
        var view = new Dictionary<string, object?> { ["id"] = snapshot.Id, ["name"] = snapshot.Name };
        if (withType)
        {
            view["group_type_id"] = snapshot.GroupTypeId;
        }

        return view;
    }

    public static Dictionary<string, object?> SnapshotDetail(GroupSnapshot snapshot, ViewContext context)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = snapshot.Id,
            ["group_id"] = snapshot.GroupId,
            ["group_type_id"] = snapshot.GroupTypeId,
            ["status"] = snapshot.Status.ToWireName(),
            ["created_at"] = ServiceView.Timestamp(snapshot.CreatedAt),
            ["name"] = snapshot.Name,
            ["description"] = snapshot.Description,
        };
        if (context.Version >= ProjectId && context.May(GroupPolicyRules.SnapshotProjectAttribute))
        {
            view["project_id"] = snapshot.ProjectId;
        }

        if (context.Extended)
        {
            view["error_reason"] = snapshot.ErrorReason;
        }

        return view;
    }
}
