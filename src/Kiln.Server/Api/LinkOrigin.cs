using Kiln.Server.Configuration;

namespace Kiln.Server.Api;

/// <summary>
/// Where response links start (<c>https://host:port/base</c>). With <c>public_endpoint</c> set, its
/// scheme, host and path, as Cinder builds links from it; otherwise the request's scheme and
/// <c>Host</c> header, which the client chooses, as Cinder does without the option.
/// </summary>
internal static class LinkOrigin
{
    public static string Of(HttpContext http)
    {
        var request = http.Request;
        return http.RequestServices.GetRequiredService<KilnConfiguration>().Api.PublicEndpoint is { } endpoint
            ? $"{endpoint.AbsoluteUri.TrimEnd('/')}{request.PathBase}"
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
