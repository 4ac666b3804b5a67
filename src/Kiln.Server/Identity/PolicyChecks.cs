namespace Kiln.Server.Identity;

/// <summary>Policy checks from endpoints: <c>if (http.Deny(rule) is { } denied) return denied;</c>.</summary>
internal static class PolicyChecks
{
    /// <summary>403 when the caller may not perform <paramref name="rule"/> on a resource of <paramref name="targetProjectId"/>; null when allowed.</summary>
    public static IResult? Deny(this HttpContext http, string rule, string? targetProjectId = null, string? targetUserId = null)
    {
        var authorizer = http.RequestServices.GetRequiredService<RequestAuthorizer>();
        return authorizer.Allows(RequestContext.Of(http), rule, targetProjectId, targetUserId) ? null : RequestAuthorizer.Denied(rule);
    }

    /// <summary>Whether the caller may perform <paramref name="rule"/>; for fields a view shows only to some callers.</summary>
    public static bool Allows(this HttpContext http, string rule, string? targetProjectId = null) =>
        RequestContext.Find(http) is { } context && http.RequestServices.GetRequiredService<RequestAuthorizer>().Allows(context, rule, targetProjectId);
}
