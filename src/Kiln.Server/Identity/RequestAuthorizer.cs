using Kiln.Server.Policy;

namespace Kiln.Server.Identity;

/// <summary>
/// Asks policy whether the caller may do something, the way Cinder's <c>context.authorize</c> does:
/// the target is the resource's project and user, or the caller's own when there is no resource.
/// </summary>
internal sealed class RequestAuthorizer(PolicyEnforcer enforcer)
{
    /// <summary>Whether <paramref name="context"/> may perform <paramref name="rule"/> on a resource of <paramref name="targetProjectId"/> (default: the caller's project).</summary>
    public bool Allows(RequestContext context, string rule, string? targetProjectId = null, string? targetUserId = null)
    {
        var target = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["project_id"] = targetProjectId ?? context.ProjectId,
            ["user_id"] = targetUserId ?? context.UserId,
        };
        return enforcer.Authorize(rule, Credentials(context), target);
    }

    /// <summary>Cinder's <c>is_admin</c> for a caller the identity service described: policy's <c>context_is_admin</c>.</summary>
    public bool IsAdmin(RequestContext context) => enforcer.IsContextAdmin(Credentials(context));

    private static PolicyCredentials Credentials(RequestContext context) => new(
        context.UserId,
        context.ProjectId,
        context.Roles,
        context.IsAdmin,
        context.UserDomainId,
        context.ProjectDomainId,
        context.SystemScopeAll);

    /// <summary>Cinder's answer to a denied request: 403, and nothing changed.</summary>
    public static IResult Denied(string rule) =>
        Api.CinderError.Result(StatusCodes.Status403Forbidden, $"Policy doesn't allow {rule} to be performed.");
}
