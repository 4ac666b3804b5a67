using System.Globalization;
using System.Text.Json;
using Kiln.Server.Quotas;

namespace Kiln.Server.Api;

/// <summary>Reads the limits of a quota set or quota class set update the way Cinder validates them.</summary>
internal static class QuotaSetBody
{
    // Cinder's NON_QUOTA_KEYS: accepted in a quota set and ignored.
    private static readonly string[] NonQuotaKeys = ["tenant_id", "id"];

    /// <summary>
    /// The limits of <c>{"quota_set": {…}}</c>: known resources only, each an integer (or a string of
    /// one) from -1 to 2147483647, as Cinder's <c>quota_set</c> format and <c>validate_integer</c>.
    /// </summary>
    public static (Dictionary<string, int>? Limits, string? Error) ReadQuotaSet(JsonElement body, IReadOnlyCollection<string> resources)
    {
        var (inner, error) = Root(body, "quota_set");
        if (inner is not { } set)
        {
            return (null, error);
        }

        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        var bad = new List<string>();
        foreach (var property in set.EnumerateObject())
        {
            if (NonQuotaKeys.Contains(property.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (!resources.Contains(property.Name))
            {
                bad.Add(property.Name);
                continue;
            }

            if (Integer(property.Name, property.Value) is { } invalid)
            {
                return (null, invalid);
            }

            limits[property.Name] = int.Parse(Text(property.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        return bad.Count > 0 ? (null, $"Invalid input received: Bad key(s) in quota set: {string.Join(", ", bad)}") : (limits, null);
    }

    /// <summary>The limits of <c>{"quota_class_set": {…}}</c>: known resources only, integers from -1 to 2147483647.</summary>
    public static (Dictionary<string, int>? Limits, string? Error) ReadQuotaClassSet(JsonElement body, IReadOnlyCollection<string> resources)
    {
        var (inner, error) = Root(body, "quota_class_set");
        if (inner is not { } set)
        {
            return (null, error);
        }

        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in set.EnumerateObject())
        {
            if (Integer(property.Name, property.Value) is { } invalid)
            {
                return (null, $"Invalid input for field/attribute {property.Name}. Value: {property.Value.GetRawText()}. {invalid}");
            }

            limits[property.Name] = int.Parse(Text(property.Value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var bad = limits.Keys.Where(k => !resources.Contains(k)).ToList();
        return bad.Count > 0 ? (null, $"Invalid input received: Bad key(s) in quota class set: {string.Join(", ", bad)}") : (limits, null);
    }

    private static (JsonElement? Inner, string? Error) Root(JsonElement body, string name)
    {
        var (reader, error) = BodyReader.Root(body, name);
        if (reader is null)
        {
            return (null, error);
        }

        var inner = body.GetProperty(name);
        return inner.EnumerateObject().Any()
            ? (inner, null)
            : (null, $"Invalid input for field/attribute {name}. Value: {{}}. {{}} does not have enough properties");
    }

    /// <summary>Null when <paramref name="value"/> is an integer from -1 to int.MaxValue (or a string of one); oslo's message otherwise.</summary>
    private static string? Integer(string name, JsonElement value)
    {
        if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
            || !long.TryParse(Text(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return $"{name} must be an integer.";
        }

        return number < QuotaResources.Unlimited ? $"{name} must be >= -1."
            : number > int.MaxValue ? $"{name} must be <= {int.MaxValue}."
            : null;
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
