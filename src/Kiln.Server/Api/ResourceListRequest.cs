using System.Globalization;
using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// What Cinder's volume and snapshot lists read before their filters: <c>with_count</c> (3.45),
/// <c>offset</c>, the inexact <c>key~</c> filters (3.34), and which filters a user who is not an
/// administrator may use (Cinder's default <c>resource_filters.json</c>, enforced from 3.31; before
/// that Cinder drops the others silently). The rest is <see cref="ListParameters"/>.
/// </summary>
internal static class ResourceListRequest
{
    /// <summary>From 3.2, boolean filters accept only Cinder's strict booleans.</summary>
    public static ApiVersion StrictBooleans { get; } = new(3, 2);

    /// <summary>From 3.31 a filter outside the resource's allowed list is refused for non-administrators.</summary>
    public static ApiVersion ResourceFilters { get; } = new(3, 31);

    /// <summary>From 3.34, <c>key~=text</c> keeps rows whose key contains the text.</summary>
    public static ApiVersion InexactFilters { get; } = new(3, 34);

    /// <summary>From 3.45, <c>with_count=true</c> adds <c>count</c> to the list.</summary>
    public static ApiVersion WithCount { get; } = new(3, 45);

    /// <summary>Cinder's <c>DB_MAX_INT</c>, the largest offset.</summary>
    private const int MaxOffset = int.MaxValue;

    /// <summary>Cinder's default <c>resource_filters.json</c> for volumes.</summary>
    public static readonly string[] VolumeUserFilters =
        ["name", "status", "metadata", "bootable", "migration_status", "availability_zone", "group_id", "size", "created_at", "updated_at", "consumes_quota"];

    /// <summary>Cinder's default <c>resource_filters.json</c> for snapshots.</summary>
    public static readonly string[] SnapshotUserFilters = ["name", "status", "volume_id", "metadata", "availability_zone", "consumes_quota"];

    private static readonly string[] NotFilters = ["limit", "marker", "sort", "sort_key", "sort_dir", "all_tenants", "offset", "with_count"];

    /// <summary>The inexact filters Kiln applies (Cinder converts <c>name~</c> and <c>description~</c> to its display columns).</summary>
    private static readonly string[] InexactColumns = ["name", "description", "status"];

    /// <summary>
    /// Parses a volume or snapshot list request. <paramref name="filters"/> are the exact filters
    /// Kiln applies; <paramref name="userFilters"/> those a non-administrator may use.
    /// </summary>
    public static (ListQuery? Query, bool WithCount, string? Error) Parse(
        HttpContext http, string? projectScope, IReadOnlyDictionary<string, Func<ListQuery, string, ListQuery>> filters, IReadOnlyList<string> userFilters)
    {
        var version = MicroversionFilter.Of(http);
        var isAdmin = Identity.RequestContext.Find(http)?.IsAdmin == true;
        var query = http.Request.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        var withCount = false;
        if (version >= WithCount && query.Remove("with_count", out var countText))
        {
            if (!BooleanText.TryParse(countText.ToString(), out withCount))
            {
                return (null, false, $"Value '{countText}' for 'with_count' is not a boolean.");
            }
        }

        var offset = 0;
        if (query.Remove("offset", out var offsetText))
        {
            if (!long.TryParse(offsetText.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, false, "offset must be an integer");
            }

            if (parsed < 0)
            {
                return (null, false, "offset must be >= 0");
            }

            if (parsed > MaxOffset)
            {
                return (null, false, string.Create(CultureInfo.InvariantCulture, $"offset must be <= {MaxOffset}"));
            }

            offset = (int)parsed;
        }

        if (!isAdmin)
        {
            var refused = query.Keys
                .Where(k => !NotFilters.Contains(k) && !userFilters.Contains(k))
                .ToList();
            if (refused.Count > 0 && version >= ResourceFilters)
            {
                return (null, false, $"Invalid filters {string.Join(',', refused)} are found in query options.");
            }

            // Before 3.31 Cinder drops them; Kiln drops those it knows and still refuses the others.
            foreach (var key in refused.Where(filters.ContainsKey))
            {
                query.Remove(key);
            }
        }

        var inexact = new Dictionary<string, string>(StringComparer.Ordinal);
        if (version >= InexactFilters)
        {
            foreach (var key in query.Keys.Where(k => k.EndsWith('~') && InexactColumns.Contains(k[..^1])).ToList())
            {
                inexact[key[..^1]] = query[key].ToString();
                query.Remove(key);
            }
        }

        if (query.TryGetValue("bootable", out var bootableText) && version >= StrictBooleans && !BooleanText.TryParse(bootableText.ToString(), out _))
        {
            return (null, false, $"Invalid input received: 'bootable = {bootableText}'");
        }

        var (parsedQuery, error) = ListParameters.Parse(new QueryCollection(query), projectScope, filters);
        if (error is not null)
        {
            return (null, false, error);
        }

        return (parsedQuery! with { Offset = offset, Inexact = inexact.Count == 0 ? null : inexact }, withCount, null);
    }

    /// <summary>Cinder's <c>metadata</c> filter: a dictionary literal; anything else lists nothing.</summary>
    public static ListQuery Metadata(ListQuery query, string text) =>
        PythonLiteral.TryParseDictionary(text) is { } pairs ? query with { Metadata = pairs } : query with { MatchesNothing = true };

    /// <summary>
    /// Cinder's <c>bootable</c> filter: strict booleans from 3.2 (checked by <see cref="Parse"/>); before,
    /// <c>False</c>/<c>false</c>/<c>FALSE</c> and the empty text are false and anything else is true.
    /// </summary>
    public static ListQuery Bootable(ListQuery query, string text) =>
        query with { Bootable = BooleanText.TryParse(text, out var strict) ? strict : text is not ("False" or "false" or "FALSE" or "") };
}
