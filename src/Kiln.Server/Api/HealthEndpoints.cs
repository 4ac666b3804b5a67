namespace Kiln.Server.Api;

/// <summary>Liveness: the process serves HTTP. It does not depend on any backend.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz/live", () => Results.Text("ok\n", "text/plain"));
        return app;
    }
}
