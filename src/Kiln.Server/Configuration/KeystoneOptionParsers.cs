using System.Globalization;

namespace Kiln.Server.Configuration;

/// <summary>Parsers for the <c>[keystone_authtoken]</c> values; each says what it expected when the text does not fit.</summary>
internal static class KeystoneOptionParsers
{
    /// <summary>The most retries accepted: with backoff, more would hold a request for minutes before its 503.</summary>
    public const int MaxRetries = 10;

    /// <summary>The longest token cache time accepted (a day; Keystone's tokens last an hour by default).</summary>
    public const int MaxTokenCacheSeconds = 86_400;

    private const string UrlExpected = "expected an absolute http:// or https:// URL without query, fragment or '\"'";

    /// <summary>An absolute http(s) URL; it is sent in a quoted header value, so it may not contain a quote.</summary>
    public static Parsed<Uri> HttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !text.Contains('"', StringComparison.Ordinal)
            ? Parsed<Uri>.Ok(uri)
            : Parsed<Uri>.Invalid(UrlExpected);

    /// <summary>An Identity endpoint Kiln can call: unversioned or ending in /v3, never the removed v2.0 API.</summary>
    public static Parsed<Uri> AuthUrl(string text)
    {
        var url = HttpUrl(text);
        if (url.IsValid && url.Value.AbsolutePath.TrimEnd('/').EndsWith("/v2.0", StringComparison.OrdinalIgnoreCase))
        {
            return Parsed<Uri>.Invalid("expected the unversioned or /v3 Identity endpoint; the v2.0 API is gone from Keystone");
        }

        return url;
    }

    /// <summary>The keystoneauth plugin; only password (v3password is the same plugin for the v3 API).</summary>
    public static Parsed<string> AuthType(string text) =>
        text.ToUpperInvariant() is "PASSWORD" or "V3PASSWORD"
            ? Parsed<string>.Ok(text.ToLowerInvariant())
            : Parsed<string>.Invalid("expected password (the only auth_type Kiln supports)");

    /// <summary>-1 disables caching (null); otherwise whole seconds from 1 to a day.</summary>
    public static Parsed<TimeSpan?> TokenCacheTime(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) switch
        {
            true when seconds == -1 => Parsed<TimeSpan?>.Ok(null),
            true when seconds is >= 1 and <= MaxTokenCacheSeconds => Parsed<TimeSpan?>.Ok(TimeSpan.FromSeconds(seconds)),
            _ => Parsed<TimeSpan?>.Invalid($"expected -1 (no caching) or a whole number of seconds from 1 to {MaxTokenCacheSeconds}"),
        };

    /// <summary>A retry count from 0 (no retries) to <see cref="MaxRetries"/>.</summary>
    public static Parsed<int> Retries(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var retries) && retries <= MaxRetries
            ? Parsed<int>.Ok(retries)
            : Parsed<int>.Invalid($"expected an integer from 0 to {MaxRetries}");

    /// <summary>A comma-separated list; surrounding spaces and empty items are dropped.</summary>
    public static Parsed<IReadOnlyList<string>> List(string text) =>
        Parsed<IReadOnlyList<string>>.Ok(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
