using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A snapshot as the CLI shows it; serialized as-is (snake_case) by <c>--output json</c>.</summary>
internal sealed record SnapshotRecord(
    string Id,
    string? Name,
    string Status,
    int Size,
    string VolumeId,
    string? Description,
    string? ErrorReason,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    public static SnapshotRecord FromJson(JsonElement snapshot) => new(
        Id: snapshot.RequiredString("id"),
        Name: snapshot.String("name"),
        Status: snapshot.RequiredString("status"),
        Size: snapshot.Int32("size") ?? 0,
        VolumeId: snapshot.RequiredString("volume_id"),
        Description: snapshot.String("description"),
        ErrorReason: snapshot.String("error_reason"),
        Metadata: snapshot.StringMap("metadata"),
        CreatedAt: snapshot.Timestamp("created_at"),
        UpdatedAt: snapshot.Timestamp("updated_at"));
}
