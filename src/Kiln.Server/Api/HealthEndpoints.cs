using Kiln.Server.Health;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/healthz/live</c>: the process serves HTTP, whatever its backends do (restart it only when this fails).
/// <c>/healthz/ready</c>: it can serve requests (send it traffic only while this answers 200).
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz/live", () => Results.Text("ok\n", "text/plain")).WithoutDatabase();
        app.MapGet("/healthz/ready", ReadyAsync).WithoutDatabase();
        return app;
    }

    private static async Task<IResult> ReadyAsync(HttpContext http, ReadinessCheck check)
    {
        var report = await check.CheckAsync().ConfigureAwait(false);

        // A probe must see the state of now, never a cached answer.
        http.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Ready ? "ready" : "not_ready",
            ["database"] = report.Database,
            ["messaging"] = report.Messaging,
            ["backends"] = report.Backends,
        };
        if (report.Reason is { } reason)
        {
            body["reason"] = reason;
        }

        return Results.Json(body, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
