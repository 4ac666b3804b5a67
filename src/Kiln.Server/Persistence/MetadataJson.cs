using System.Text.Json;

namespace Kiln.Server.Persistence;

/// <summary>Volume and snapshot metadata as the JSON object text stored in their <c>metadata</c> column.</summary>
internal static class MetadataJson
{
    public static string Serialize(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(metadata);

    public static Dictionary<string, string> Deserialize(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
}
