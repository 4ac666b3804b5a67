namespace Kiln.Server.Api;

/// <summary>
/// Cinder 3.67 made the project id in URLs optional, and python-cinderclient in noauth mode always
/// omits it (it sends <c>X-Project-Id</c> instead). This middleware rewrites <c>/v3/volumes/…</c> to
/// <c>/v3/{project}/volumes/…</c> before routing, so every endpoint is written once with a project.
/// </summary>
internal static class ProjectScopedPaths
{
    /// <summary>Project used when a request names none (noauth mode).</summary>
    public const string DefaultProject = "admin";

    private static readonly HashSet<string> Resources = new(StringComparer.Ordinal)
    {
        "volumes", "snapshots", "types", "os-services", "os-availability-zone", "scheduler-stats", "capabilities",
        "extensions", "limits", "os-quota-sets", "messages", "attachments", "groups", "backups",
    };

    public static IApplicationBuilder UseProjectScopedPaths(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is not null && path.StartsWith("/v3/", StringComparison.Ordinal))
            {
                var rest = path["/v3/".Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                var first = slash < 0 ? rest : rest[..slash];
                if (Resources.Contains(first))
                {
                    context.Request.Path = new PathString($"/v3/{Uri.EscapeDataString(ProjectOf(context.Request))}/{rest}");
                }
            }

            return next(context);
        });

    /// <summary>The project of a request without one in its URL: <c>X-Project-Id</c>, else the project part of a noauth token <c>user:project</c>.</summary>
    public static string ProjectOf(HttpRequest request)
    {
        var header = request.Headers["X-Project-Id"].ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        var token = request.Headers["X-Auth-Token"].ToString();
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon < token.Length - 1 ? token[(colon + 1)..] : DefaultProject;
    }
}
