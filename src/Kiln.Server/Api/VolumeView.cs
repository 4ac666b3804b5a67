using Kiln.Core.Volumes;
using Kiln.Server.Policy;

namespace Kiln.Server.Api;

/// <summary>
/// Volumes exactly as Cinder shows them for the negotiated microversion and the caller's rights:
/// summary and detail, the admin attribute extensions (<c>os-vol-host-attr:host</c>, …) only on show
/// and list and only where policy allows them, and Kiln's <c>error_reason</c> only on request
/// (<see cref="KilnExtensions"/>). Fields Kiln has no feature for (encryption,
/// replication, consistency groups) carry the values Cinder shows for a volume without it.
/// </summary>
internal static class VolumeView
{
    public const string Collection = "volumes";

    /// <summary>Shown with 3.13+: volume groups.</summary>
    public static ApiVersion GroupId { get; } = new(3, 13);

    /// <summary>Shown with 3.21+ to administrators: the driver's id of the volume.</summary>
    public static ApiVersion ProviderId { get; } = new(3, 21);

    /// <summary>Shown with 3.48+: whether the volume's target is shared and which service owns it.</summary>
    public static ApiVersion SharedTargets { get; } = new(3, 48);

    /// <summary>Shown with 3.61+ to administrators: the cluster of the volume's service (Kiln has no clusters).</summary>
    public static ApiVersion ClusterName { get; } = new(3, 61);

    /// <summary>Shown with 3.63+: the type's id beside its name (and the name, or null, instead of an id).</summary>
    public static ApiVersion VolumeTypeId { get; } = new(3, 63);

    /// <summary>Shown with 3.65+: whether the volume counts against quota (every volume a user creates does).</summary>
    public static ApiVersion ConsumesQuota { get; } = new(3, 65);

    public static Dictionary<string, object?> Summary(Volume volume, ViewContext context) => new()
    {
        ["id"] = volume.Id,
        ["name"] = volume.Name,
        ["links"] = context.Links(Collection, volume.Id),
    };

    /// <summary>
    /// The detail view; <paramref name="typeName"/> is the name of the volume's type (its id is shown
    /// when the name is unknown). <paramref name="extensions"/> adds the attribute extensions that
    /// Cinder adds to show and list (never to create or update), each where policy allows it.
    /// </summary>
    public static Dictionary<string, object?> Detail(Volume volume, string? typeName, ViewContext context, bool extensions = true, VolumeAttachmentFields? attached = null)
    {
        attached ??= VolumeAttachmentFields.None;
        var view = new Dictionary<string, object?>
        {
            ["id"] = volume.Id,
            ["status"] = volume.Status.ToWireName(),
            ["size"] = volume.SizeGb,
            ["availability_zone"] = volume.AvailabilityZone,
            ["created_at"] = ServiceView.Timestamp(volume.CreatedAt),
            ["updated_at"] = ServiceView.Timestamp(volume.UpdatedAt),
            ["attachments"] = attached.Entries(context),
            ["name"] = volume.Name,
            ["description"] = volume.Description,
            ["volume_type"] = typeName ?? volume.VolumeTypeId,
            ["snapshot_id"] = volume.SourceSnapshotId,
            ["source_volid"] = volume.SourceVolumeId,
            ["metadata"] = VolumeAdminMetadata.Visible(volume),
            ["links"] = context.Links(Collection, volume.Id),
            ["user_id"] = volume.UserId,
            ["bootable"] = volume.Bootable ? "true" : "false",
            ["encrypted"] = false,
            ["replication_status"] = "disabled",
            ["consistencygroup_id"] = null,
            ["multiattach"] = attached.Multiattach,
        };
        if (context.IsAdmin)
        {
            view["migration_status"] = volume.MigrationStatus;
        }

        var version = context.Version;
        if (version >= GroupId)
        {
            view["group_id"] = volume.GroupId;
        }

        if (version >= ProviderId && context.IsAdmin)
        {
            view["provider_id"] = volume.ProviderId;
        }

        if (version >= SharedTargets)
        {
            // Each volume is exported as its own target, so attachments need no host-wide lock.
            view["shared_targets"] = false;
            view["service_uuid"] = null;
        }

        if (version >= ClusterName && context.IsAdmin)
        {
            view["cluster_name"] = null;
        }

        if (version >= VolumeTypeId)
        {
            // From 3.63 Cinder shows the type's name or null, never an id in its place.
            view["volume_type"] = typeName;
            view["volume_type_id"] = volume.VolumeTypeId;
        }

        // encryption_key_id (3.64) is shown only for an encrypted volume, and Kiln has none.
        if (version >= ConsumesQuota)
        {
            view["consumes_quota"] = true;
        }

        if (extensions)
        {
            if (context.May(CinderPolicyRules.VolumeHostAttribute))
            {
                view["os-vol-host-attr:host"] = volume.Host;
            }

            if (context.May(CinderPolicyRules.VolumeTenantAttribute))
            {
                view["os-vol-tenant-attr:tenant_id"] = volume.ProjectId;
            }

            if (context.May(CinderPolicyRules.VolumeMigrationStatusAttribute))
            {
                view["os-vol-mig-status-attr:migstat"] = volume.MigrationStatus;
                view["os-vol-mig-status-attr:name_id"] = null;
            }
        }

        if (context.Extended)
        {
            view["error_reason"] = volume.ErrorReason;
        }

        return view;
    }
}
