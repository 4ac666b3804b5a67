namespace Kiln.Server.Api;

/// <summary>The versions documents at <c>/</c> and <c>/v3/</c> (routing ignores the trailing slash), which clients read to negotiate microversions.</summary>
internal static class VersionsEndpoints
{
    public static IEndpointRouteBuilder MapVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Results.Json(new { versions = new[] { Describe(http) } }, statusCode: StatusCodes.Status300MultipleChoices)).WithoutDatabase();
        // Cinder answers /v3/ with the same list shape as /, holding only v3 (Tempest's schema requires "versions").
        app.MapGet("/v3", (HttpContext http) => Results.Json(new { versions = new[] { Describe(http) } })).WithoutDatabase();
        return app;
    }

    private static Dictionary<string, object?> Describe(HttpContext http)
    {
        var self = $"{LinkOrigin.Of(http)}/v3/";
        return new Dictionary<string, object?>
        {
            ["id"] = "v3.0",
            ["status"] = "CURRENT",
            ["version"] = ApiVersion.Max.ToString(),
            ["min_version"] = ApiVersion.Min.ToString(),
            ["updated"] = "2026-11-23T00:00:00Z",
            ["links"] = new object[] { new Dictionary<string, string> { ["rel"] = "self", ["href"] = self } },
            ["media-types"] = new object[]
            {
                new Dictionary<string, string> { ["base"] = "application/json", ["type"] = "application/vnd.openstack.volume+json;version=3" },
            },
        };
    }
}
