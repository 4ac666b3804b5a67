using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;
using Microsoft.AspNetCore.Mvc;
using SortKey = Kiln.Core.Volumes.SortKey;

namespace Kiln.Server.Api;

/// <summary>
/// <c>GET /v3/{project_id}/types</c>. Types are few, so filtering, sorting and paging happen here in
/// memory, with the same parameters and messages as the volume and snapshot lists.
/// </summary>
internal static class TypeList
{
    private static readonly string[] SortKeys = ["id", "name", "description", "is_public"];

    private static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        // Applied below: ListQuery has no field for it.
        ["is_public"] = (q, _) => q,

        // python-cinderclient finds a type by name with this filter.
        ["name"] = (q, v) => q with { Name = v },
    };

    public static async Task<IResult> ListAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, IVolumeTypeRepository types, TypeAccessStore access)
    {
        if (http.Deny(CinderPolicyRules.TypeGetAll) is { } denied)
        {
            return denied;
        }

        var (query, error) = ListParameters.Parse(http.Request.Query, projectId, Filters, SortKeys);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        // Like Cinder: public types only unless is_public says otherwise ("none" lists both).
        bool? isPublic = true;
        if (http.Request.Query.TryGetValue("is_public", out var text))
        {
            if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
            {
                isPublic = null;
            }
            else if (BooleanText.TryParse(text, out var parsed))
            {
                isPublic = parsed;
            }
            else
            {
                return Refusals.BadRequest($"Invalid is_public filter [{text}]");
            }
        }

        // Like Cinder, only an administrator chooses: everyone else sees public types.
        if (!RequestContext.Of(http).IsAdmin)
        {
            isPublic = true;
        }

        // Like Cinder, "public" includes the private types the caller's project has been given access to.
        var accessible = isPublic == true
            ? await access.TypesOfProjectAsync(RequestContext.Of(http).ProjectId, http.RequestAborted).ConfigureAwait(false)
            : null;
        var all = (await types.ListAsync(http.RequestAborted).ConfigureAwait(false))
            .Where(t => isPublic is null || t.IsPublic == isPublic || (accessible is not null && accessible.Contains(t.Id)))
            .Where(t => query!.Name is null || t.Name == query.Name)
            .ToList();
        var sorted = Sort(all, query!.Sort);
        var start = 0;
        if (query.Marker is { } marker)
        {
            var index = sorted.FindIndex(t => t.Id == marker);
            if (index < 0)
            {
                return Refusals.BadRequest($"marker [{marker}] not found");
            }

            start = index + 1;
        }

        var limit = ListParameters.EffectiveLimit(query);
        var page = sorted.Skip(start).Take(limit).ToList();
        var context = ViewContext.Of(http, projectId);
        var body = new Dictionary<string, object?> { ["volume_types"] = page.Select(t => TypeView.Of(t, context)).ToList() };
        if (context.NextLinks("types", page.Count, limit, page.Count > 0 ? page[^1].Id : null) is { } links)
        {
            body["volume_type_links"] = links;
        }

        return Results.Json(body);
    }

    private static List<VolumeType> Sort(List<VolumeType> types, IReadOnlyList<SortKey> keys)
    {
        if (keys.Count == 0)
        {
            // Cinder sorts by creation time; Kiln does not keep it for types, and names read best.
            return [.. types.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal)];
        }

        IOrderedEnumerable<VolumeType>? ordered = null;
        foreach (var key in keys)
        {
            Func<VolumeType, string> select = key.Key switch
            {
                "id" => t => t.Id,
                "description" => t => t.Description ?? string.Empty,
                "is_public" => t => t.IsPublic ? "1" : "0",
                _ => t => t.Name,
            };
            ordered = ordered is null
                ? (key.Descending ? types.OrderByDescending(select, StringComparer.Ordinal) : types.OrderBy(select, StringComparer.Ordinal))
                : (key.Descending ? ordered.ThenByDescending(select, StringComparer.Ordinal) : ordered.ThenBy(select, StringComparer.Ordinal));
        }

        return [.. ordered!.ThenBy(t => t.Id, StringComparer.Ordinal)];
    }
}
