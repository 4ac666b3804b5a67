using System.Globalization;
using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>
/// Reads fields of the API's JSON leniently: a missing or null field is null, so a server that adds
/// or omits an optional field never breaks the client.
/// </summary>
internal static class JsonFields
{
    public static string? String(this JsonElement element, string name) =>
        Find(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string RequiredString(this JsonElement element, string name) =>
        element.String(name) ?? throw new JsonException($"the answer has no \"{name}\"");

    public static int? Int32(this JsonElement element, string name) =>
        Find(element, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    public static double? Double(this JsonElement element, string name) =>
        Find(element, name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static bool? Boolean(this JsonElement element, string name) =>
        Find(element, name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>Cinder's timestamps (<c>2026-11-23T12:55:45.689530</c>) are UTC without an offset.</summary>
    public static DateTimeOffset? Timestamp(this JsonElement element, string name) =>
        element.String(name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>A JSON object of strings (metadata, extra specs), ordered by key so output is stable.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonElement element, string name)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Find(element, name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return map;
    }

    public static IEnumerable<JsonElement> Array(this JsonElement element, string name) =>
        Find(element, name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    // TryGetProperty throws on anything but an object; an empty answer body is the default element.
    private static bool Find(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value);
    }
}
