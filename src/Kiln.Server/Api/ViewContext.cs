using Kiln.Server.Identity;
using Microsoft.AspNetCore.Http.Extensions;

namespace Kiln.Server.Api;

/// <summary>
/// What a view needs from the request: the microversion, the project, the URL base for links, and
/// which optional fields the caller may see (policy, decided once per request).
/// </summary>
internal sealed record ViewContext(ApiVersion Version, string ProjectId, string Origin, HttpRequest Request)
{
    private readonly Dictionary<string, bool> decisions = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the caller asked for Kiln's own fields (<see cref="KilnExtensions.HeaderName"/>):
    /// strict Cinder clients never send it, so they never see a field Cinder does not have.
    /// </summary>
    public bool Extended => KilnExtensions.Requested(Request);

    /// <summary>Whether the caller is an administrator (Cinder shows some fields to admins only).</summary>
    public bool IsAdmin => RequestContext.Find(Request.HttpContext)?.IsAdmin ?? false;

    public static ViewContext Of(HttpContext http, string projectId) =>
        new(MicroversionFilter.Of(http), projectId, LinkOrigin.Of(http), http.Request);

    /// <summary>The view context of a request under <c>/v3/{project_id}</c>, its project read from the route.</summary>
    public static ViewContext Of(HttpContext http) => Of(http, http.GetRouteValue("project_id") as string ?? string.Empty);

    /// <summary>Whether policy lets the caller see what <paramref name="rule"/> guards; asked once per request and rule.</summary>
    public bool May(string rule)
    {
        if (!decisions.TryGetValue(rule, out var allowed))
        {
            allowed = Request.HttpContext.Allows(rule);
            decisions[rule] = allowed;
        }

        return allowed;
    }

    /// <summary>Cinder's <c>self</c> (versioned) and <c>bookmark</c> (unversioned) links of one resource.</summary>
    public List<Dictionary<string, string>> Links(string collection, string id)
    {
        var project = Uri.EscapeDataString(ProjectId);
        return
        [
            new() { ["rel"] = "self", ["href"] = $"{Origin}/v3/{project}/{collection}/{id}" },
            new() { ["rel"] = "bookmark", ["href"] = $"{Origin}/{project}/{collection}/{id}" },
        ];
    }

    /// <summary>
    /// Cinder's <c>next</c> link: present when the page is as long as the limit asked for (or the
    /// maximum), pointing at the same request with <c>marker</c> set to the last item.
    /// </summary>
    public List<Dictionary<string, string>>? NextLinks(string collectionPath, int count, int limit, string? lastId)
    {
        if (count == 0 || count < limit || lastId is null)
        {
            return null;
        }

        var query = new QueryBuilder();
        foreach (var (key, values) in Request.Query)
        {
            if (key != "marker")
            {
                foreach (var item in values)
                {
                    query.Add(key, item ?? string.Empty);
                }
            }
        }

        query.Add("marker", lastId);
        return [new() { ["rel"] = "next", ["href"] = $"{Origin}/v3/{Uri.EscapeDataString(ProjectId)}/{collectionPath}{query}" }];
    }
}
