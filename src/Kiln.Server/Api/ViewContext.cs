using Microsoft.AspNetCore.Http.Extensions;

namespace Kiln.Server.Api;

/// <summary>What a view needs from the request: the microversion, the project and the URL base for links.</summary>
internal sealed record ViewContext(ApiVersion Version, string ProjectId, string Origin, HttpRequest Request)
{
    public static ViewContext Of(HttpContext http, string projectId)
    {
        var request = http.Request;
        return new ViewContext(MicroversionFilter.Of(http), projectId, $"{request.Scheme}://{request.Host}{request.PathBase}", request);
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
