using System.Globalization;
using System.Text;
using Kiln.Core.Drivers;
using Kiln.Server.Telemetry;

namespace Kiln.Server.Dashboard;

/// <summary>
/// Each pool's space as bars (used of total; provisioned of the over-subscription limit) and its
/// volumes per status: the numbers <c>/metrics</c> exports, without Prometheus. The fullest pools
/// come first; at most <see cref="Shown"/> are drawn.
/// </summary>
internal static class CapacityFragment
{
    public const int Shown = 50;

    public static void Render(StringBuilder html, IReadOnlyList<(string Host, string State, BackendStats Stats)> backends, IReadOnlyDictionary<VolumeCountKey, long> counts)
    {
        html.Append("""<div id="capacity" hx-get="/dashboard/capacity" hx-trigger="every 2s" hx-swap="outerHTML">""");
        var pools = backends
            .SelectMany(b => b.Stats.Pools.Select(p => (b.Host, b.State, Pool: p, Name: Core.Volumes.HostNames.Pool(b.Host, p.PoolName))))
            .OrderByDescending(p => Fraction(p.Pool.ProvisionedCapacityGb, Limit(p.Pool)))
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var byPool = counts.Where(c => c.Key.Pool is not null).GroupBy(c => c.Key.Pool!).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Key.Status, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        html.Append(CultureInfo.InvariantCulture, $"""<p class="summary">{pools.Count} {(pools.Count == 1 ? "pool" : "pools")}{(pools.Count > Shown ? $"; the {Shown} fullest shown" : string.Empty)}.</p>""");
        html.Append("""<ul class="pools">""");
        foreach (var (_, state, pool, name) in pools.Take(Shown))
        {
            var used = pool.TotalCapacityGb - pool.FreeCapacityGb;
            var limit = Limit(pool);
            html.Append(CultureInfo.InvariantCulture, $"""<li class="pool"><h3>{Html.E(name)} <span class="badge state-{Html.E(state)}">{Html.E(BackendsFragment.StateText(state))}</span></h3>""");
            Bar(html, "Used", used, pool.TotalCapacityGb, $"{Html.Number(used)} of {Html.Number(pool.TotalCapacityGb)} GB used, {Html.Number(pool.FreeCapacityGb)} GB free");
            Bar(html, "Provisioned", pool.ProvisionedCapacityGb, limit, $"{Html.Number(pool.ProvisionedCapacityGb)} GB provisioned of {Html.Number(limit)} GB allowed (max_over_subscription_ratio {Html.Number(pool.MaxOverSubscriptionRatio)}, reserved {pool.ReservedPercentage} %)");
            html.Append("<p class=\"volumes\">Volumes: ");
            html.Append(byPool.TryGetValue(name, out var statuses) && statuses.Count > 0
                ? Html.E(string.Join(", ", statuses.Select(s => $"{s.Value} {s.Key.Status}")))
                : "<span class=\"muted\">none</span>");
            html.Append("</p></li>");
        }

        html.Append("</ul>");
        var unplaced = counts.Where(c => c.Key.Pool is null).OrderBy(c => c.Key.Status, StringComparer.Ordinal).ToList();
        if (unplaced.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="summary">Not placed on a pool: {Html.E(string.Join(", ", unplaced.Select(s => $"{s.Value} {s.Key.Status}")))}.</p>""");
        }

        html.Append("</div>");
    }

    /// <summary>Cinder's provisioning limit: total less the reserved part, times the over-subscription ratio.</summary>
    private static double Limit(PoolStats pool) =>
        pool.TotalCapacityGb * (1 - (pool.ReservedPercentage / 100.0)) * Math.Max(1.0, pool.MaxOverSubscriptionRatio);

    private static double Fraction(double part, double whole) => whole <= 0 ? (part > 0 ? 1 : 0) : part / whole;

    private static void Bar(StringBuilder html, string label, double value, double max, string text)
    {
        var percent = Math.Clamp(Fraction(value, max) * 100, 0, 100);
        var level = percent >= 90 ? "high" : percent >= 75 ? "mid" : "low";
        html.Append(CultureInfo.InvariantCulture, $"""<div class="bar-row"><span class="bar-label">{label}</span><div class="bar {level}" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{percent:0}" aria-label="{Html.E(label)}"><div style="width:{percent:0.#}%"></div></div><span class="bar-text">{Html.E(text)}</span></div>""");
    }
}
