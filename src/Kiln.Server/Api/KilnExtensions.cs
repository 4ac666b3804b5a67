namespace Kiln.Server.Api;

/// <summary>
/// The opt-in to Kiln's own fields in standard responses (each backend's lifecycle on
/// <c>os-services</c>, <c>error_reason</c> on volumes and snapshots). Without it every response has
/// exactly Cinder's fields, which strict clients (Tempest validates with no additional properties)
/// require. The <c>kiln</c> CLI always sends it.
/// </summary>
internal static class KilnExtensions
{
    /// <summary>The request header; any of <c>true</c>, <c>1</c>, <c>yes</c> turns it on.</summary>
    public const string HeaderName = "X-Kiln-Extensions";

    public static bool Requested(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out var value) && BooleanText.TryParse(value.ToString(), out var on) && on;
}
