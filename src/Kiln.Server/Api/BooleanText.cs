namespace Kiln.Server.Api;

/// <summary>Cinder's boolean strings (<c>strutils.bool_from_string</c> in strict mode), for bodies and query parameters.</summary>
internal static class BooleanText
{
    private static readonly string[] True = ["true", "1", "on", "yes", "y", "t"];
    private static readonly string[] False = ["false", "0", "off", "no", "n", "f"];

    public static bool TryParse(string? text, out bool value)
    {
        var normalized = text?.Trim().ToLowerInvariant();
        value = True.Contains(normalized);
        return value || False.Contains(normalized);
    }
}
