using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>GET /v3/{project_id}/volumes/summary</c> (3.12): how many volumes and gigabytes the caller's
/// project holds (every project's for an administrator asking <c>all_tenants</c>), and from 3.36 every
/// metadata key with its distinct values. The list's filters apply, as in Cinder.
/// </summary>
internal static class VolumeSummaryEndpoints
{
    /// <summary>Cinder's <c>VOLUME_SUMMARY</c>.</summary>
    public static ApiVersion Summary { get; } = new(3, 12);

    /// <summary>Cinder's <c>VOLUME_SUMMARY_METADATA</c>.</summary>
    public static ApiVersion SummaryMetadata { get; } = new(3, 36);

    public static RouteGroupBuilder MapVolumeSummary(this RouteGroupBuilder volumes)
    {
        volumes.MapGet("/summary", SummaryAsync);
        return volumes;
    }

    private static async Task<IResult> SummaryAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, IVolumeListing listing)
    {
        var version = MicroversionFilter.Of(http);
        if (version < Summary)
        {
            // Before 3.12 Cinder routes this to show, with "summary" as the id.
            return Refusals.NotFound("Volume summary could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeGetAll) is { } denied)
        {
            return denied;
        }

        var (query, _, error) = ResourceListRequest.Parse(http, ListParameters.ProjectScope(http, projectId), VolumesEndpoints.Filters, ResourceListRequest.VolumeUserFilters);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var summary = await listing.SummarizeAsync(query!, http.RequestAborted).ConfigureAwait(false);
        var view = new Dictionary<string, object?>
        {
            ["total_size"] = summary.TotalSizeGb,
            ["total_count"] = summary.Count,
        };
        if (version >= SummaryMetadata)
        {
            view["metadata"] = summary.Metadata;
        }

        return Results.Json(new Dictionary<string, object?> { ["volume-summary"] = view });
    }
}
