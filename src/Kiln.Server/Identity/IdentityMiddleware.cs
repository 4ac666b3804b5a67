using Kiln.Server.Api;

namespace Kiln.Server.Identity;

/// <summary>
/// Establishes who is calling for every request under <c>/v3/…</c> (the versions document at
/// <c>/v3/</c> itself stays open, as in Cinder), before routing:
/// <list type="bullet">
/// <item>no or a refused token: 401 with <c>WWW-Authenticate</c>; identity service unreachable: 503 (fail closed);</item>
/// <item>a URL whose project is not the token's: 400, as Cinder refuses it;</item>
/// <item>a project-less URL (3.67; python-cinderclient's noauth mode always sends one) is rewritten to
/// the caller's project, so every endpoint is written once with a project.</item>
/// </list>
/// </summary>
internal static class IdentityMiddleware
{
    // The first segment after /v3/ of a project-less URL: a resource name rather than a project id.
    private static readonly HashSet<string> Resources = new(StringComparer.Ordinal)
    {
        "volumes", "snapshots", "types", "os-services", "os-availability-zone", "scheduler-stats", "capabilities",
        "extensions", "limits", "os-quota-sets", "os-quota-class-sets", "messages", "attachments", "groups", "backups",
        "qos-specs", "os-volume-transfer", "volume-transfers", "group_types", "group_snapshots", "os-hosts", "workers",
        "manageable_volumes", "manageable_snapshots", "os-volume-manage", "os-snapshot-manage", "os-backup-manage",
        "clusters", "resource_filters", "default-types",
    };

    public static IApplicationBuilder UseKilnIdentity(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path.Value;
        if (path is null || !path.StartsWith("/v3/", StringComparison.Ordinal) || path.Length == "/v3/".Length)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var rest = path["/v3/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]);
        var projectLess = Resources.Contains(first);
        var authenticator = http.RequestServices.GetRequiredService<IRequestAuthenticator>();
        var outcome = await authenticator.AuthenticateAsync(http.Request, projectLess ? null : first, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case AuthenticationOutcome.Unauthenticated refused:
                if (authenticator.Challenge is { } challenge)
                {
                    http.Response.Headers.WWWAuthenticate = challenge;
                }

                await Unauthorized(refused.Message).ExecuteAsync(http).ConfigureAwait(false);
                return;
            case AuthenticationOutcome.Unavailable unavailable:
                await CinderError.Result(StatusCodes.Status503ServiceUnavailable, unavailable.Message).ExecuteAsync(http).ConfigureAwait(false);
                return;
        }

        var context = ((AuthenticationOutcome.Authenticated)outcome).Context;
        context.AttachTo(http);
        if (projectLess)
        {
            if (context.ProjectId.Length == 0)
            {
                await CinderError.Result(StatusCodes.Status400BadRequest, "A URL without a project needs a token scoped to a project.").ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            http.Request.Path = new PathString($"/v3/{Uri.EscapeDataString(context.ProjectId)}/{rest}");
        }
        else if (!string.Equals(first, context.ProjectId, StringComparison.Ordinal))
        {
            await CinderError.Result(
                StatusCodes.Status400BadRequest,
                $"Malformed request URL: URL's project_id '{first}' doesn't match Context's project_id '{context.ProjectId}'").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
    });

    /// <summary>keystonemiddleware's 401 body, which clients of an OpenStack service expect.</summary>
    private static IResult Unauthorized(string message) => Results.Json(
        new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object> { ["code"] = 401, ["title"] = "Unauthorized", ["message"] = message },
        },
        statusCode: StatusCodes.Status401Unauthorized);
}
