using System.Globalization;
using static Kiln.Server.Configuration.OptionNames;

namespace Kiln.Server.Configuration;

/// <summary>Reads <c>public_endpoint</c> and <c>max_metadata_items</c> from [DEFAULT] and <c>max_request_body_size</c> from [oslo_middleware].</summary>
internal static class ApiOptionsReader
{
    public static ApiOptions Read(SectionReader global, SectionReader middleware) => new()
    {
        PublicEndpoint = global.ReadOptional(PublicEndpoint) is null ? null : global.Read<Uri?>(PublicEndpoint, null, Endpoint),
        MaxMetadataItems = global.Read(MaxMetadataItems, ApiOptions.DefaultMaxMetadataItems, Count),
        MaxRequestBodySize = middleware.Read(MaxRequestBodySize, ApiOptions.DefaultMaxRequestBodySize, BodySize),
    };

    /// <summary>An absolute http or https URL without query or fragment; a trailing slash is dropped.</summary>
    internal static Parsed<Uri?> Endpoint(string text) =>
        Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? Parsed<Uri?>.Ok(uri)
            : Parsed<Uri?>.Invalid("expected an absolute http:// or https:// URL without query, fragment or user, such as https://cloud.example.com:8776");

    /// <summary>A whole number from 0 to 2147483647.</summary>
    internal static Parsed<int> Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? Parsed<int>.Ok(count)
            : Parsed<int>.Invalid("expected a whole number from 0 to 2147483647");

    /// <summary>A number of bytes from <see cref="ApiOptions.MinRequestBodySize"/> to 2147483647.</summary>
    internal static Parsed<int> BodySize(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= ApiOptions.MinRequestBodySize
            ? Parsed<int>.Ok(size)
            : Parsed<int>.Invalid($"expected a number of bytes from {ApiOptions.MinRequestBodySize} to 2147483647");
}
