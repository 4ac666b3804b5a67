using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Volumes as Cinder shows them (summary and detail, with the admin attribute extensions a noauth
/// caller sees), plus Kiln's additive <c>error_reason</c>. Fields Kiln has no feature for (attachments,
/// encryption, replication, groups, migration) carry the values Cinder shows for a volume without it.
/// </summary>
internal static class VolumeView
{
    public const string Collection = "volumes";

    /// <summary>Shown with 3.13+: volume groups.</summary>
    public static ApiVersion GroupId { get; } = new(3, 13);

    /// <summary>Shown with 3.21+: the driver's id of the volume.</summary>
    public static ApiVersion ProviderId { get; } = new(3, 21);

    /// <summary>Shown with 3.48+: whether the volume's target is shared and which service owns it.</summary>
    public static ApiVersion SharedTargets { get; } = new(3, 48);

    public static Dictionary<string, object?> Summary(Volume volume, ViewContext context) => new()
    {
        ["id"] = volume.Id,
        ["name"] = volume.Name,
        ["links"] = context.Links(Collection, volume.Id),
    };

    /// <summary>The detail view; <paramref name="typeName"/> is the name of the volume's type (its id is shown when the name is unknown).</summary>
    public static Dictionary<string, object?> Detail(Volume volume, string? typeName, ViewContext context)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = volume.Id,
            ["status"] = volume.Status.ToWireName(),
            ["size"] = volume.SizeGb,
            ["availability_zone"] = volume.AvailabilityZone,
            ["created_at"] = ServiceView.Timestamp(volume.CreatedAt),
            ["updated_at"] = ServiceView.Timestamp(volume.UpdatedAt),
            ["name"] = volume.Name,
            ["description"] = volume.Description,
            ["volume_type"] = typeName ?? volume.VolumeTypeId,
            ["snapshot_id"] = volume.SourceSnapshotId,
            ["source_volid"] = volume.SourceVolumeId,
            ["metadata"] = volume.Metadata,
            ["links"] = context.Links(Collection, volume.Id),
            // Kiln does not record users (noauth); null rather than an invented name.
            ["user_id"] = null,
            ["bootable"] = "false",
            ["encrypted"] = false,
            ["replication_status"] = "disabled",
            ["consistencygroup_id"] = null,
            ["multiattach"] = false,
            ["attachments"] = Array.Empty<object>(),
            ["migration_status"] = null,
            ["os-vol-tenant-attr:tenant_id"] = volume.ProjectId,
            ["os-vol-host-attr:host"] = volume.Host,
            ["os-vol-mig-status-attr:migstat"] = null,
            ["os-vol-mig-status-attr:name_id"] = null,
        };
        var version = context.Version;
        if (version >= GroupId)
        {
            view["group_id"] = null;
        }

        if (version >= ProviderId)
        {
            view["provider_id"] = null;
        }

        if (version >= SharedTargets)
        {
            // Each volume is exported as its own target, so attachments need no host-wide lock.
            view["shared_targets"] = false;
            view["service_uuid"] = null;
        }

        view["error_reason"] = volume.ErrorReason;
        return view;
    }
}
