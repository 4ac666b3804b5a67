using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>One resource of a project's quota set: its limit (-1: unlimited) and, when asked for, what is in use and reserved.</summary>
internal sealed record QuotaRecord(string Resource, long Limit, long? InUse, long? Reserved)
{
    /// <summary>The rows of <c>{"quota_set": {...}}</c>, with or without <c>usage=True</c>'s objects; <c>id</c> is not a resource.</summary>
    public static IReadOnlyList<QuotaRecord> FromQuotaSet(JsonElement set) =>
    [
        .. set.EnumerateObject()
            .Where(p => p.Name != "id")
            .Select(p => p.Value.ValueKind == JsonValueKind.Object
                ? new QuotaRecord(p.Name, p.Value.GetProperty("limit").GetInt64(), p.Value.GetProperty("in_use").GetInt64(), p.Value.GetProperty("reserved").GetInt64())
                : new QuotaRecord(p.Name, p.Value.GetInt64(), null, null))
            .OrderBy(q => q.Resource, StringComparer.Ordinal),
    ];
}
