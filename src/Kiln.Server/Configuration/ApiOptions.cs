namespace Kiln.Server.Configuration;

/// <summary>Options of the API's edge: the URL its links are built from, and the limits on what one request may carry.</summary>
public sealed record ApiOptions
{
    /// <summary>Cinder's default <c>[oslo_middleware] max_request_body_size</c>: 112 KiB.</summary>
    public const int DefaultMaxRequestBodySize = 114_688;

    /// <summary>The smallest body limit accepted: below it even an ordinary create would not fit.</summary>
    public const int MinRequestBodySize = 1024;

    /// <summary>The default <c>max_metadata_items</c>.</summary>
    public const int DefaultMaxMetadataItems = 128;

    /// <summary>The options when kiln.conf sets none of them.</summary>
    public static ApiOptions Default { get; } = new();

    /// <summary>
    /// The URL clients reach the API at (<c>public_endpoint</c>, Cinder's option), or null to build
    /// links from the request's scheme and <c>Host</c> header. Behind a proxy the Host header is the
    /// client's to choose, so an operator sets this to keep links pointing at the real endpoint.
    /// </summary>
    public Uri? PublicEndpoint { get; init; }

    /// <summary>
    /// The most metadata items one volume or snapshot may hold (<c>max_metadata_items</c>; default 128).
    /// Cinder counts metadata against no quota, so without a cap one request could store any number of
    /// items and make every later list carry them.
    /// </summary>
    public int MaxMetadataItems { get; init; } = DefaultMaxMetadataItems;

    /// <summary>The largest request body in bytes (<c>[oslo_middleware] max_request_body_size</c>; Cinder's default 114688).</summary>
    public int MaxRequestBodySize { get; init; } = DefaultMaxRequestBodySize;
}
