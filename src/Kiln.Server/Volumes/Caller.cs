using Kiln.Server.Identity;

namespace Kiln.Server.Volumes;

/// <summary>
/// Whose request the volume service handles: the project it acts in (new resources belong to it),
/// the user (recorded as the creator), and whether resources of other projects are reachable by id,
/// as Cinder lets an administrator context reach them (its database queries drop the project filter).
/// </summary>
public readonly record struct Caller(string ProjectId, string? UserId, bool AllProjects)
{
    /// <summary>The caller of a request under <c>/v3/{project_id}</c>.</summary>
    internal static Caller Of(HttpContext http, string projectId)
    {
        var context = RequestContext.Find(http);
        return new Caller(projectId, context?.UserId, context?.IsAdmin ?? false);
    }

    /// <summary>A caller confined to one project (tests and internal callers).</summary>
    public static Caller InProject(string projectId, string? userId = null) => new(projectId, userId, AllProjects: false);

    /// <summary>Whether a resource of <paramref name="projectId"/> is visible to this caller.</summary>
    public bool Sees(string projectId) => AllProjects || string.Equals(projectId, ProjectId, StringComparison.Ordinal);
}
