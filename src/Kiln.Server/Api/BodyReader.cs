using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kiln.Server.Api;

/// <summary>
/// Reads the typed fields of one JSON object of a request body the way Cinder's JSON schemas check
/// them. The first problem wins and is kept in <see cref="Error"/> with Cinder's wording
/// (<c>Invalid input for field/attribute size. Value: abc. …</c>), so handlers read every field and
/// then check once.
/// </summary>
internal sealed partial class BodyReader(JsonElement value, string path)
{
    public const int MaxStringLength = 255;

    public string? Error { get; private set; }

    public bool Failed => Error is not null;

    public bool Has(string name) => value.TryGetProperty(name, out _);

    /// <summary>The object named <paramref name="name"/> at the root of <paramref name="body"/>, or the Cinder error when it is missing or not an object.</summary>
    public static (BodyReader? Reader, string? Error) Root(JsonElement body, string name, params string[] allowedAtRoot)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != name && !allowedAtRoot.Contains(property.Name, StringComparer.Ordinal))
            {
                return (null, $"Additional properties are not allowed ('{property.Name}' was unexpected).");
            }
        }

        if (!body.TryGetProperty(name, out var inner))
        {
            return (null, $"'{name}' is a required property: the body must be {{\"{name}\": {{…}}}}.");
        }

        return inner.ValueKind == JsonValueKind.Object
            ? (new BodyReader(inner, name), null)
            : (null, Invalid(name, inner, $"{Show(inner)} is not of type 'object'."));
    }

    /// <summary>Refuses properties other than <paramref name="known"/>, like Cinder's <c>additionalProperties: false</c>.</summary>
    public void OnlyKnown(params string[] known)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Fail(Invalid(path, value, $"Additional properties are not allowed ('{property.Name}' was unexpected)."));
                return;
            }
        }
    }

    public void Require(string name)
    {
        if (!Has(name))
        {
            Fail(Invalid(path, value, $"'{name}' is a required property."));
        }
    }

    /// <summary>A string of at most <paramref name="maxLength"/> characters; null when absent or JSON null.</summary>
    public string? String(string name, int minLength = 0, int maxLength = MaxStringLength, bool nullable = true)
    {
        if (!value.TryGetProperty(name, out var element) || Failed)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Null && nullable)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(Invalid(name, element, $"{Show(element)} is not of type 'string'{(nullable ? ", 'null'" : string.Empty)}."));
        }

        var text = element.GetString()!;
        if (text.Length < minLength)
        {
            return Fail<string>(Invalid(name, element, $"'{text}' is too short (at least {minLength} characters)."));
        }

        return text.Length > maxLength
            ? Fail<string>(Invalid(name, element, $"The value is {text.Length} characters long, more than {maxLength}."))
            : text;
    }

    /// <summary>A UUID string or null, like Cinder's <c>optional_uuid</c>.</summary>
    public string? Uuid(string name)
    {
        var text = String(name);
        if (text is not null && !Guid.TryParse(text, out _))
        {
            return Fail<string>(Invalid(name, value.GetProperty(name), $"'{text}' is not a 'uuid'."));
        }

        return text;
    }

    /// <summary>
    /// A size in GB: a JSON integer or a string of digits (Cinder accepts both). The range is the
    /// volume service's to check, so a negative or huge integer is passed on (clamped to int).
    /// </summary>
    public int? Size(string name)
    {
        if (!value.TryGetProperty(name, out var element) || Failed || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            {
                return Fail<int?>(Invalid(name, element, $"'{text}' does not match '^[0-9]+$': give a whole number of GB."));
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Clamp(parsed) : int.MaxValue;
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var number))
            {
                return Clamp(number);
            }

            var raw = element.GetRawText();
            if (IntegerLiteral().IsMatch(raw))
            {
                return raw.StartsWith('-') ? int.MinValue : int.MaxValue;
            }
        }

        return Fail<int?>(Invalid(name, element, $"{Show(element)} is not of type 'integer': give a whole number of GB."));
    }

    /// <summary>A boolean: JSON true/false or one of Cinder's boolean strings (<c>"true"</c>, <c>"0"</c>, <c>"yes"</c>, …).</summary>
    public bool? Boolean(string name)
    {
        if (!value.TryGetProperty(name, out var element) || Failed || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when BooleanText.TryParse(element.GetString(), out var parsed) => parsed,
            _ => Fail<bool?>(Invalid(name, element, $"{Show(element)} is not a boolean: give true or false.")),
        };
    }

    /// <summary>
    /// Metadata (<see cref="MapKeys.Metadata"/> rules) of at most <paramref name="maxItems"/> items.
    /// Null when absent (or JSON null and <paramref name="nullable"/>).
    /// </summary>
    public Dictionary<string, string>? Metadata(string name, int maxItems, bool nullable = true) => Map(name, MapKeys.Metadata, maxItems, nullable);

    /// <summary>Extra specs (<see cref="MapKeys.ExtraSpecs"/> rules); null when absent or JSON null.</summary>
    public Dictionary<string, string>? ExtraSpecs(string name) => Map(name, MapKeys.ExtraSpecs, int.MaxValue, nullable: true);

    /// <summary>
    /// Reads <paramref name="element"/> (an object) as a map: keys by <paramref name="keys"/>, string
    /// values of at most 255 characters, at most <paramref name="maxItems"/> items.
    /// </summary>
    public Dictionary<string, string>? ReadMap(JsonElement element, string field, MapKeys keys, int maxItems = int.MaxValue)
    {
        var count = element.GetPropertyCount();
        if (count > maxItems)
        {
            return Fail<Dictionary<string, string>>(MetadataLimit.Exceeded(maxItems, count));
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (MapKeyRules.Check(property.Name, keys, field, element) is { } keyError)
            {
                return Fail<Dictionary<string, string>>(keyError);
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return Fail<Dictionary<string, string>>(Invalid(field, element, $"The value of '{Shorten(property.Name)}' is {Show(property.Value)}, not a string."));
            }

            var text = property.Value.GetString()!;
            if (text.Length > MaxStringLength)
            {
                return Fail<Dictionary<string, string>>(keys == MapKeys.Metadata
                    ? $"Invalid metadata size: Metadata property key {Shorten(property.Name)} value greater than {MaxStringLength} characters."
                    : Invalid(field, element, $"The value of '{Shorten(property.Name)}' is {text.Length} characters long, more than {MaxStringLength}."));
            }

            map[property.Name] = text;
        }

        return map;
    }

    private Dictionary<string, string>? Map(string name, MapKeys keys, int maxItems, bool nullable)
    {
        if (!value.TryGetProperty(name, out var element) || Failed)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Null && nullable)
        {
            return null;
        }

        return element.ValueKind != JsonValueKind.Object
            ? Fail<Dictionary<string, string>>(Invalid(name, element, $"{Show(element)} is not of type 'object'."))
            : ReadMap(element, name, keys, maxItems);
    }

    /// <summary>Records a problem found by the caller (only the first one is kept).</summary>
    public void Fail(string message) => Error ??= message;

    /// <summary>Cinder's validation message: <c>Invalid input for field/attribute X. Value: V. why</c>.</summary>
    public static string Invalid(string field, JsonElement element, string why) =>
        $"Invalid input for field/attribute {field}. Value: {Shorten(element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText())}. {why}";

    private static string Show(JsonElement element) => element.ValueKind == JsonValueKind.String ? $"'{Shorten(element.GetString()!)}'" : Shorten(element.GetRawText());

    internal static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..77]}...";

    private static int Clamp(long number) => (int)Math.Clamp(number, int.MinValue, int.MaxValue);

    private T? Fail<T>(string message)
    {
        Fail(message);
        return default;
    }

    // \z, not $: in .NET, $ also matches before a final newline.
    [GeneratedRegex(@"^-?[0-9]+\z")]
    private static partial Regex IntegerLiteral();
}
