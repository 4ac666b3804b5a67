using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A volume as the CLI shows it; serialized as-is (snake_case) by <c>--output json</c>.</summary>
internal sealed record VolumeRecord(
    string Id,
    string? Name,
    string Status,
    int Size,
    string? VolumeType,
    string? Host,
    string? AvailabilityZone,
    string? Description,
    string? SnapshotId,
    string? SourceVolid,
    string? ErrorReason,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<VolumeAttachmentRecord>? Attachments = null)
{
    public static VolumeRecord FromJson(JsonElement volume) => new(
        Id: volume.RequiredString("id"),
        Name: volume.String("name"),
        Status: volume.RequiredString("status"),
        Size: volume.Int32("size") ?? 0,
        VolumeType: volume.String("volume_type"),
        Host: volume.String("os-vol-host-attr:host"),
        AvailabilityZone: volume.String("availability_zone"),
        Description: volume.String("description"),
        SnapshotId: volume.String("snapshot_id"),
        SourceVolid: volume.String("source_volid"),
        ErrorReason: volume.String("error_reason"),
        Metadata: volume.StringMap("metadata"),
        CreatedAt: volume.Timestamp("created_at"),
        UpdatedAt: volume.Timestamp("updated_at"),
        Attachments: [.. volume.Array("attachments").Select(VolumeAttachmentRecord.FromJson)]);
}
