namespace Kiln.Server.Api;

/// <summary>
/// Gives every request an id of Cinder's form (<c>req-&lt;uuid&gt;</c>) and returns it in the
/// <c>x-openstack-request-id</c> header of every response Kiln writes, errors included, as
/// oslo.middleware's RequestId filter does in front of Cinder: an operator can find the log lines of
/// the request a user reports. The id is the request's <see cref="HttpContext.TraceIdentifier"/>.
/// </summary>
internal static class RequestId
{
    public const string HeaderName = "x-openstack-request-id";

    /// <summary>The request's id (<c>req-…</c> once <see cref="UseOpenStackRequestId"/> has run).</summary>
    public static string Of(HttpContext http) => http.TraceIdentifier;

    public static IApplicationBuilder UseOpenStackRequestId(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.TraceIdentifier = $"req-{Guid.NewGuid()}";

        // Added when the response starts rather than now, so a handler that clears the response
        // (the fault handler does, after an exception) cannot lose it.
        http.Response.OnStarting(
            static state =>
            {
                var context = (HttpContext)state;
                context.Response.Headers[HeaderName] = context.TraceIdentifier;
                return Task.CompletedTask;
            },
            http);
        return next(http);
    });
}
