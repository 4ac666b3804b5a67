using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A generic volume group as the CLI shows it; serialized as-is (snake_case) by <c>--output json</c>.</summary>
internal sealed record GroupRecord(
    string Id, string? Name, string? Description, string? Status, string? GroupType, IReadOnlyList<string> VolumeTypes, string? AvailabilityZone, DateTimeOffset? CreatedAt)
{
    public static GroupRecord FromJson(JsonElement group) => new(
        Id: group.RequiredString("id"),
        Name: group.String("name"),
        Description: group.String("description"),
        Status: group.String("status"),
        GroupType: group.String("group_type"),
        VolumeTypes: [.. group.Array("volume_types").Select(t => t.GetString() ?? string.Empty)],
        AvailabilityZone: group.String("availability_zone"),
        CreatedAt: group.Timestamp("created_at"));
}

/// <summary>A group type and its group specs.</summary>
internal sealed record GroupTypeRecord(string Id, string Name, string? Description, bool? IsPublic, IReadOnlyDictionary<string, string> GroupSpecs)
{
    public static GroupTypeRecord FromJson(JsonElement type) => new(
        Id: type.RequiredString("id"),
        Name: type.RequiredString("name"),
        Description: type.String("description"),
        IsPublic: type.Boolean("is_public"),
        GroupSpecs: type.StringMap("group_specs"));
}

/// <summary>A group snapshot (one snapshot of each volume of a group, taken as a set).</summary>
internal sealed record GroupSnapshotRecord(string Id, string? Name, string? Status, string? GroupId, DateTimeOffset? CreatedAt)
{
    public static GroupSnapshotRecord FromJson(JsonElement snapshot) => new(
        Id: snapshot.RequiredString("id"),
        Name: snapshot.String("name"),
        Status: snapshot.String("status"),
        GroupId: snapshot.String("group_id"),
        CreatedAt: snapshot.Timestamp("created_at"));
}
