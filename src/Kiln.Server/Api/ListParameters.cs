using System.Globalization;
using SortKey = Kiln.Core.Volumes.SortKey;
using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Cinder's list query parameters: <c>limit</c>, <c>marker</c>, <c>sort</c> (or the legacy
/// <c>sort_key</c>/<c>sort_dir</c>) and exact-match filters. Filters Kiln cannot apply are refused
/// (400) rather than ignored, so a list never silently answers a different question.
/// </summary>
internal static class ListParameters
{
    /// <summary>Cinder's <c>osapi_max_limit</c>: the longest page, and the page length when no limit is given.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Sort keys the repositories order by.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["created_at", "updated_at", "id", "name", "size", "status"];

    /// <summary>Read by <see cref="ProjectScope"/>, not a filter.</summary>
    private static readonly string[] Ignored = ["all_tenants"];

    private static readonly string[] Paging = ["limit", "marker", "sort", "sort_key", "sort_dir"];

    /// <summary>
    /// The project a list covers: the URL's, or every project when an administrator asks for
    /// <c>all_tenants</c> (Cinder ignores the parameter for anyone else).
    /// </summary>
    public static string? ProjectScope(HttpContext http, string projectId) =>
        http.Request.Query.TryGetValue("all_tenants", out var value)
        && (string.IsNullOrEmpty(value.ToString()) || (BooleanText.TryParse(value.ToString(), out var all) && all))
        && Identity.RequestContext.Find(http)?.IsAdmin == true
            ? null
            : projectId;

    /// <summary>Parses <paramref name="query"/>; <paramref name="filters"/> maps each accepted filter parameter to how it sets the query.</summary>
    public static (ListQuery? Query, string? Error) Parse(
        IQueryCollection query,
        string? projectId,
        IReadOnlyDictionary<string, Func<ListQuery, string, ListQuery>> filters,
        IReadOnlyList<string>? sortKeys = null)
    {
        var unknown = query.Keys.Where(k => !Paging.Contains(k) && !Ignored.Contains(k) && !filters.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            return (null, $"Invalid filters {string.Join(',', unknown)} are found in query options. Kiln filters by: {string.Join(", ", filters.Keys)}.");
        }

        var (limit, limitError) = Limit(query);
        if (limitError is not null)
        {
            return (null, limitError);
        }

        var (sort, sortError) = Sort(query, sortKeys ?? SortKeys);
        if (sortError is not null)
        {
            return (null, sortError);
        }

        var marker = query["marker"].ToString();
        var result = new ListQuery
        {
            ProjectId = projectId,
            Limit = limit,
            Marker = string.IsNullOrEmpty(marker) ? null : marker,
            Sort = sort!,
        };
        foreach (var (name, apply) in filters)
        {
            if (query.TryGetValue(name, out var value))
            {
                result = apply(result, value.ToString());
            }
        }

        return (result, null);
    }

    /// <summary>The page length a request asked for: its <c>limit</c> capped at <see cref="MaxLimit"/>, or <see cref="MaxLimit"/>.</summary>
    public static int EffectiveLimit(ListQuery query) => query.Limit ?? MaxLimit;

    private static (int Limit, string? Error) Limit(IQueryCollection query)
    {
        if (!query.TryGetValue("limit", out var text))
        {
            return (MaxLimit, null);
        }

        if (!long.TryParse(text.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
        {
            return (0, "limit param must be an integer");
        }

        return limit < 0 ? (0, "limit param must be positive") : ((int)Math.Min(limit, MaxLimit), null);
    }

    private static (IReadOnlyList<SortKey>? Sort, string? Error) Sort(IQueryCollection query, IReadOnlyList<string> valid)
    {
        var hasSort = query.ContainsKey("sort");
        if (hasSort && (query.ContainsKey("sort_key") || query.ContainsKey("sort_dir")))
        {
            return (null, "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
        }

        var pairs = new List<(string Key, string Dir)>();
        if (hasSort)
        {
            foreach (var item in query["sort"].ToString().Trim().Split(','))
            {
                var colon = item.IndexOf(':', StringComparison.Ordinal);
                pairs.Add(colon < 0 ? (item.Trim(), "desc") : (item[..colon].Trim(), item[(colon + 1)..].Trim()));
            }
        }
        else if (query.ContainsKey("sort_key") || query.ContainsKey("sort_dir"))
        {
            var key = query.TryGetValue("sort_key", out var k) ? k.ToString().Trim() : "created_at";
            var dir = query.TryGetValue("sort_dir", out var d) ? d.ToString().Trim() : "desc";
            pairs.Add((key, dir));
        }

        var keys = new List<SortKey>();
        foreach (var (given, dir) in pairs)
        {
            // Cinder's column is display_name; it accepts that name as well as the API's name.
            var key = given == "display_name" && valid.Contains("name") ? "name" : given;
            if (!valid.Contains(key))
            {
                return (null, $"Invalid input received: Invalid sort key '{key}'. Valid sort keys: {string.Join(", ", valid)}.");
            }

            if (dir is not ("asc" or "desc"))
            {
                return (null, "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'.");
            }

            keys.Add(new SortKey(key, dir == "desc"));
        }

        return (keys, null);
    }
}
