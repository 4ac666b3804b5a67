using System.Text.Json;

namespace Kiln.Server.Api;

/// <summary>Which keys a string map takes.</summary>
internal enum MapKeys
{
    /// <summary>Volume and snapshot metadata: Cinder's <c>^[a-zA-Z0-9-_:. /]{1,255}$</c>.</summary>
    Metadata,

    /// <summary>
    /// Volume type extra specs, wherever they are written (<c>POST /types</c> and the extra_specs
    /// routes): Cinder's <c>^[a-zA-Z0-9-_:.]{1,255}$</c>, no spaces or slashes. Cinder's type create
    /// takes the metadata pattern instead, so a key it stores there cannot be set or changed later
    /// through the extra_specs routes; Kiln has one rule for both.
    /// </summary>
    ExtraSpecs,
}

/// <summary>
/// Checks map keys character by character rather than with Cinder's regular expressions: a
/// <c>$</c> anchor matches before a final newline (in .NET as in Python), which let <c>"key\n"</c> through.
/// </summary>
internal static class MapKeyRules
{
    public const int MaxKeyLength = 255;

    /// <summary>Null when <paramref name="key"/> is valid; otherwise the whole error message (Cinder's wording for metadata sizes).</summary>
    public static string? Check(string key, MapKeys keys, string field, JsonElement map)
    {
        var metadata = keys == MapKeys.Metadata;
        if (key.Length == 0)
        {
            return metadata
                ? "Invalid metadata: Metadata key:  has 0 characters, less than 1."
                : BodyReader.Invalid(field, map, $"A key is empty: keys are 1 to {MaxKeyLength} characters of {Allowed(keys)}.");
        }

        if (key.Length > MaxKeyLength)
        {
            return metadata
                ? $"Invalid metadata size: Metadata property key {BodyReader.Shorten(key)} greater than {MaxKeyLength} characters."
                : BodyReader.Invalid(field, map, $"Key '{BodyReader.Shorten(key)}' is {key.Length} characters long, more than {MaxKeyLength}.");
        }

        return key.All(c => IsAllowed(c, keys))
            ? null
            : BodyReader.Invalid(field, map, $"Key '{BodyReader.Shorten(key)}' is invalid: keys are 1 to {MaxKeyLength} characters of {Allowed(keys)}.");
    }

    private static bool IsAllowed(char c, MapKeys keys) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.' || (keys == MapKeys.Metadata && c is ' ' or '/');

    private static string Allowed(MapKeys keys) =>
        keys == MapKeys.Metadata ? "letters, digits, space and - _ : . /" : "letters, digits and - _ : .";
}
