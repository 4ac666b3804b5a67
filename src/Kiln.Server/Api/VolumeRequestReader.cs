using System.Text.Json;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>The fields of a volume update (<c>PUT /volumes/{id}</c>).</summary>
internal sealed record VolumeUpdate(string? Name, string? Description, IReadOnlyDictionary<string, string>? Metadata);

/// <summary>
/// Checks the JSON of volume create and update requests against Cinder's schemas (types, lengths,
/// known fields) before the volume service checks values (size range, zone, sources).
/// </summary>
internal static class VolumeRequestReader
{
    /// <summary>From 3.53 Cinder's create schema refuses fields it does not know; before, it ignores them.</summary>
    private static readonly ApiVersion StrictCreateSchema = new(3, 53);

    /// <summary>
    /// Cinder's <c>create_volume_v353</c> properties. Fields python-cinderclient sent before 3.53
    /// (<c>user_id</c>, <c>project_id</c>, <c>status</c>, <c>attach_status</c>) are ignored before 3.53 like
    /// any other and refused from it, as Cinder does.
    /// </summary>
    private static readonly string[] CreateFields =
    [
        "name", "description", "display_name", "display_description", "volume_type", "metadata", "snapshot_id", "source_volid",
        "consistencygroup_id", "group_id", "size", "availability_zone", "multiattach", "image_id", "imageRef", "backup_id",
    ];

    private static readonly string[] UpdateFields = ["name", "description", "display_name", "display_description", "metadata"];

    public static (CreateVolumeRequest? Request, string? Error) ReadCreate(JsonElement body, ApiVersion version, int maxMetadataItems)
    {
        var (volume, rootError) = BodyReader.Root(body, "volume", "OS-SCH-HNT:scheduler_hints");
        if (rootError is not null)
        {
            return (null, rootError);
        }

        if (body.TryGetProperty("OS-SCH-HNT:scheduler_hints", out var hints)
            && !(hints.ValueKind == JsonValueKind.Null || (hints.ValueKind == JsonValueKind.Object && !hints.EnumerateObject().Any())))
        {
            return (null, "Kiln does not support scheduler hints (OS-SCH-HNT:scheduler_hints); choose a backend with a volume type whose extra specs name it.");
        }

        // Cinder ignores unknown fields before 3.53 (cinder-tempest-plugin itself sends a misspelt
        // "'snapshot_id" that Cinder accepts); refusing them would fail clients that work with Cinder.
        if (version >= StrictCreateSchema)
        {
            volume!.OnlyKnown(CreateFields);
        }

        var name = volume!.String("name") ?? volume.String("display_name");
        var description = volume.String("description") ?? volume.String("display_description");
        var type = volume.String("volume_type");
        var metadata = volume.Metadata("metadata", maxMetadataItems);
        var snapshotId = volume.Uuid("snapshot_id");
        var sourceId = volume.Uuid("source_volid");
        var size = volume.Size("size");
        var zone = volume.String("availability_zone", minLength: 1);
        var multiattach = volume.Boolean("multiattach");
        var group = volume.String("consistencygroup_id") ?? volume.String("group_id");
        var image = volume.String("imageRef") ?? volume.String("image_id");
        var backup = volume.String("backup_id");
        if (volume.Failed)
        {
            return (null, volume.Error);
        }

        var unsupported = multiattach == true
            ? "multiattach parameter has been removed. The default behavior is to use multiattach enabled volume types. Contact your administrator to create a multiattach enabled volume type and use it to create multiattach volumes."
            : image is not null ? "Creating a volume from an image (imageRef) is not supported by Kiln: there is no image service."
            : backup is not null ? "Creating a volume from a backup (backup_id) is not supported by Kiln: there is no backup service."
            : group is not null ? "Volume groups and consistency groups are not supported by Kiln."
            : null;
        if (unsupported is not null)
        {
            return (null, unsupported);
        }

        return (new CreateVolumeRequest
        {
            Size = size,
            Name = name,
            Description = description,
            // Cinder treats an empty volume_type like an absent one: the default type.
            VolumeType = string.IsNullOrEmpty(type) ? null : type,
            AvailabilityZone = zone,
            SnapshotId = snapshotId,
            SourceVolumeId = sourceId,
            Metadata = metadata,
        }, null);
    }

    public static (VolumeUpdate? Update, string? Error) ReadUpdate(JsonElement body, int maxMetadataItems, ApiVersion? version = null)
    {
        var (volume, rootError) = BodyReader.Root(body, "volume");
        if (rootError is not null)
        {
            return (null, rootError);
        }

        volume!.OnlyKnown(UpdateFields);

        // Cinder's update_v353: from 3.53 the update must name at least one field.
        if (version >= StrictCreateSchema && !volume.Failed && !UpdateFields.Any(volume.Has))
        {
            return (null, $"Invalid input for field/attribute volume. Value: {body.GetProperty("volume").GetRawText()}. {body.GetProperty("volume").GetRawText()} is not valid under any of the given schemas");
        }

        var update = new VolumeUpdate(
            volume.String("name") ?? volume.String("display_name"),
            volume.String("description") ?? volume.String("display_description"),
            volume.Metadata("metadata", maxMetadataItems, nullable: false));
        return volume.Failed ? (null, volume.Error) : (update, null);
    }
}
