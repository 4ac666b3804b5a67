using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// <c>GET /v3/{project_id}/scheduler-stats/get_pools</c>: every pool of every backend that has
/// published stats (a degraded backend shows its last, stale ones), with the backend's state.
/// </summary>
internal static class SchedulerStatsEndpoints
{
    /// <summary>From 3.28 pools can be filtered (Cinder: by <c>name</c>; before, filters are ignored).</summary>
    public static ApiVersion PoolFilter { get; } = new(3, 28);

    public static RouteGroupBuilder MapSchedulerStats(this RouteGroupBuilder v3)
    {
        v3.MapGet("/scheduler-stats/get_pools", GetPools);
        return v3;
    }

    private static IResult GetPools(HttpContext http, IBackendStates backends)
    {
        if (http.Deny(CinderPolicyRules.SchedulerGetPools) is { } denied)
        {
            return denied;
        }

        var query = http.Request.Query;
        var detail = false;
        if (query.TryGetValue("detail", out var detailText) && !BooleanText.TryParse(detailText, out detail))
        {
            return Refusals.BadRequest($"Invalid value '{detailText}' for detail: give true or false.");
        }

        string? name = null;
        if (MicroversionFilter.Of(http) >= PoolFilter)
        {
            var unknown = query.Keys.Where(k => k is not ("detail" or "name")).ToList();
            if (unknown.Count > 0)
            {
                return Refusals.BadRequest($"Invalid filters {string.Join(',', unknown)} are found in query options. Kiln filters pools by: name.");
            }

            name = query.TryGetValue("name", out var nameText) ? nameText.ToString() : null;
        }

        var pools = new List<Dictionary<string, object?>>();
        foreach (var backend in backends.All.OrderBy(b => b.Host, StringComparer.Ordinal))
        {
            if (backend.Stats is not { } stats)
            {
                continue;
            }

            foreach (var pool in stats.Pools)
            {
                if (name is null || PoolView.Name(backend, pool) == name)
                {
                    pools.Add(detail ? PoolView.Detail(backend, stats, pool, KilnExtensions.Requested(http.Request)) : PoolView.Summary(backend, pool));
                }
            }
        }

        return Results.Json(new Dictionary<string, object> { ["pools"] = pools });
    }
}
