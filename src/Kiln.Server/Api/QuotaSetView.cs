using Kiln.Server.Quotas;

namespace Kiln.Server.Api;

/// <summary>
/// Quota sets as Cinder shows them. A dictionary, because the keys are data: three per volume type
/// (<c>volumes_&lt;type&gt;</c> …) beside the global resources, which Tempest's schema admits.
/// </summary>
internal static class QuotaSetView
{
    /// <summary><c>{"volumes": 10, …}</c>, with <c>"id"</c> first when given.</summary>
    public static Dictionary<string, object> Limits(QuotaLimits limits, string? id)
    {
        var view = new Dictionary<string, object>(StringComparer.Ordinal);
        if (id is not null)
        {
            view["id"] = id;
        }

        foreach (var (resource, limit) in limits.Values)
        {
            view[resource] = limit;
        }

        return view;
    }

    /// <summary><c>{"volumes": {"limit": 10, "in_use": 1, "reserved": 0}, …}</c> (no <c>allocated</c>: Kiln has no nested quotas).</summary>
    public static Dictionary<string, object> Usage(QuotaLimits limits, IReadOnlyDictionary<string, QuotaUsage> usage, string id)
    {
        var view = new Dictionary<string, object>(StringComparer.Ordinal) { ["id"] = id };
        foreach (var (resource, limit) in limits.Values)
        {
            var used = usage.GetValueOrDefault(resource);
            view[resource] = new QuotaUsageView(limit, used.InUse, used.Reserved);
        }

        return view;
    }
}

/// <summary>One resource of <c>GET os-quota-sets/{id}?usage=true</c>.</summary>
internal sealed record QuotaUsageView(
    [property: System.Text.Json.Serialization.JsonPropertyName("limit")] int Limit,
    [property: System.Text.Json.Serialization.JsonPropertyName("in_use")] long InUse,
    [property: System.Text.Json.Serialization.JsonPropertyName("reserved")] long Reserved);
