using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Sorting and paging in memory for the group resources (group types, groups, group snapshots), with
/// the parameters and messages of the volume lists. A project has few groups, so reading them all is cheap.
/// </summary>
internal static class GroupListing
{
    /// <summary>
    /// The page of <paramref name="items"/> (given newest first, Cinder's default order) that <paramref name="query"/> asks for;
    /// <paramref name="field"/> reads a sort key of an item. Null with the error when the marker is unknown.
    /// </summary>
    public static (List<T>? Page, string? MarkerError) Page<T>(IReadOnlyList<T> items, ListQuery query, Func<T, string> id, Func<T, string, string> field)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sorted = items.ToList();
        if (query.Sort.Count > 0)
        {
            IOrderedEnumerable<T>? ordered = null;
            foreach (var key in query.Sort)
            {
                Func<T, string> select = item => field(item, key.Key);
                ordered = ordered is null
                    ? (key.Descending ? sorted.OrderByDescending(select, StringComparer.Ordinal) : sorted.OrderBy(select, StringComparer.Ordinal))
                    : (key.Descending ? ordered.ThenByDescending(select, StringComparer.Ordinal) : ordered.ThenBy(select, StringComparer.Ordinal));
            }

            sorted = [.. ordered!.ThenBy(id, StringComparer.Ordinal)];
        }

        var start = 0;
        if (query.Marker is { } marker)
        {
            var index = sorted.FindIndex(item => id(item) == marker);
            if (index < 0)
            {
                return (null, $"marker [{marker}] not found");
            }

            start = index + 1;
        }

        return ([.. sorted.Skip(start).Take(ListParameters.EffectiveLimit(query))], null);
    }

    /// <summary>A timestamp as a string that sorts like the time.</summary>
    public static string Sortable(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
