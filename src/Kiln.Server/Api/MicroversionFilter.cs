namespace Kiln.Server.Api;

/// <summary>
/// Negotiates <c>OpenStack-API-Version: volume 3.x</c> like Cinder: absent means 3.0, <c>latest</c>
/// means the newest, a malformed value is 400 and one out of range is 406.
/// </summary>
internal sealed class MicroversionFilter : IEndpointFilter
{
    public const string HeaderName = "OpenStack-API-Version";
    private const string ItemKey = "kiln.api_version";

    public static ApiVersion Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is ApiVersion version ? version : ApiVersion.Min;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var requested = ApiVersion.Min;
        var header = http.Request.Headers[HeaderName].ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            var volume = header.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("volume ", StringComparison.OrdinalIgnoreCase));
            if (volume is not null)
            {
                if (!ApiVersion.TryParse(volume["volume ".Length..], out requested))
                {
                    return CinderError.Result(StatusCodes.Status400BadRequest, $"API Version String {volume["volume ".Length..].Trim()} is of invalid format. Must be of format MajorNum.MinorNum.");
                }

                if (requested < ApiVersion.Min || requested > ApiVersion.Max)
                {
                    return CinderError.Result(
                        StatusCodes.Status406NotAcceptable,
                        $"Version {requested} is not supported by the API. Minimum is {ApiVersion.Min} and maximum is {ApiVersion.Max}.");
                }
            }
        }

        http.Items[ItemKey] = requested;
        http.Response.Headers[HeaderName] = $"volume {requested}";
        http.Response.Headers.Append("Vary", HeaderName);
        return await next(context).ConfigureAwait(false);
    }
}
