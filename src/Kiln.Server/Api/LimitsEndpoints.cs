using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Quotas;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>GET /v3/{project_id}/limits</c>: the absolute limits of the project's quotas, the used ones when
/// <c>limits_extension:used_limits</c> allows, and no rate limits, as Cinder.
/// </summary>
internal static class LimitsEndpoints
{
    public const string UsedLimitsRule = CinderPolicyRules.UsedLimits;

    /// <summary>From 3.39 an administrator may ask for another project's limits (<c>?project_id=</c>).</summary>
    public static ApiVersion AdminFilter { get; } = new(3, 39);

    private static readonly (string Name, string Resource)[] Maximums =
    [
        ("maxTotalVolumes", QuotaResources.Volumes),
        ("maxTotalSnapshots", QuotaResources.Snapshots),
        ("maxTotalVolumeGigabytes", QuotaResources.Gigabytes),
        ("maxTotalBackups", QuotaResources.Backups),
        ("maxTotalBackupGigabytes", QuotaResources.BackupGigabytes),
    ];

    private static readonly (string Name, string Resource)[] Used =
    [
        ("totalVolumesUsed", QuotaResources.Volumes),
        ("totalGigabytesUsed", QuotaResources.Gigabytes),
        ("totalSnapshotsUsed", QuotaResources.Snapshots),
        ("totalBackupsUsed", QuotaResources.Backups),
        ("totalBackupGigabytesUsed", QuotaResources.BackupGigabytes),
    ];

    public static RouteGroupBuilder MapLimits(this RouteGroupBuilder v3)
    {
        v3.MapGet("/limits", ShowAsync);
        return v3;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, QuotaService quotas)
    {
        var context = RequestContext.Of(http);
        var query = http.Request.Query;
        var target = projectId;
        if (context.IsAdmin && MicroversionFilter.Of(http) >= AdminFilter)
        {
            target = query["project_id"].FirstOrDefault() ?? query["tenant_id"].FirstOrDefault() ?? projectId;
        }

        var limits = await quotas.ProjectLimitsAsync(target, http.RequestAborted).ConfigureAwait(false);
        var absolute = Maximums.ToDictionary(m => m.Name, m => (long)limits.Of(m.Resource), StringComparer.Ordinal);

        // Cinder checks this rule against the caller's own project, and leaves the fields out when it fails.
        if (http.Allows(UsedLimitsRule, context.ProjectId))
        {
            var usage = await quotas.UsageAsync(target, http.RequestAborted).ConfigureAwait(false);
            foreach (var (name, resource) in Used)
            {
                absolute[name] = usage.GetValueOrDefault(resource).InUse;
            }
        }

        var view = new Dictionary<string, object> { ["rate"] = Array.Empty<object>(), ["absolute"] = absolute };
        return Results.Json(new Dictionary<string, object> { ["limits"] = view });
    }
}
