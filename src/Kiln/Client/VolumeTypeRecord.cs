using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A volume type with its extra specs; serialized as-is (snake_case) by <c>--output json</c>.</summary>
internal sealed record VolumeTypeRecord(
    string Id,
    string Name,
    string? Description,
    bool IsPublic,
    IReadOnlyDictionary<string, string> ExtraSpecs)
{
    public static VolumeTypeRecord FromJson(JsonElement type) => new(
        Id: type.RequiredString("id"),
        Name: type.RequiredString("name"),
        Description: type.String("description"),
        IsPublic: type.Boolean("is_public") ?? true,
        ExtraSpecs: type.StringMap("extra_specs"));
}
