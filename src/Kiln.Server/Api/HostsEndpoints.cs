using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/os-hosts</c> (admin, deprecated in Cinder but still served): the enabled
/// services as hosts, and one volume backend's usage per project, as Cinder's <c>hosts.py</c>.
/// Enabling or disabling a host through this API is not served (Cinder's own answer is an error); use os-services.
/// </summary>
internal static class HostsEndpoints
{
    public static RouteGroupBuilder MapHosts(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/os-hosts");
        group.MapGet("", ListAsync);
        group.MapGet("/{host}", ShowAsync);
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ServiceDirectory directory, string? zone)
    {
        if (http.Deny(CinderPolicyRules.Hosts) is { } denied)
        {
            return denied;
        }

        var hosts = (await directory.ListAsync(http.RequestAborted).ConfigureAwait(false))
            .Where(s => !s.Record.Disabled)
            .Where(s => string.IsNullOrEmpty(zone) || s.Record.Zone == zone)
            .Select(s => new Dictionary<string, object?>
            {
                ["host_name"] = s.Record.Host,
                ["service"] = s.Record.Binary,
                ["zone"] = s.Record.Zone,
                ["service-status"] = s.Up ? "available" : "unavailable",
                ["service-state"] = "enabled",
                ["last-update"] = ServiceView.Timestamp(s.Record.UpdatedAt),
            })
            .ToList();
        return Results.Json(new Dictionary<string, object> { ["hosts"] = hosts });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string host, ServiceDirectory directory, IVolumeListing listing)
    {
        if (http.Deny(CinderPolicyRules.Hosts) is { } denied)
        {
            return denied;
        }

        var services = await directory.ListAsync(http.RequestAborted).ConfigureAwait(false);
        if (!services.Any(s => s.Record.Binary == StoredService.VolumeBinary && s.Record.Host == host))
        {
            return Refusals.NotFound($"Host {host} could not be found.");
        }

        var usage = await listing.UsageOnBackendAsync(host, http.RequestAborted).ConfigureAwait(false);
        var resources = new List<Dictionary<string, object>>
        {
            Resource(host, "(total)", usage.Sum(u => u.VolumeCount), usage.Sum(u => u.VolumeGb), usage.Sum(u => u.SnapshotCount), usage.Sum(u => u.SnapshotGb)),
        };
        resources.AddRange(usage.Select(u => Resource(host, u.ProjectId, u.VolumeCount, u.VolumeGb, u.SnapshotCount, u.SnapshotGb)));
        return Results.Json(new Dictionary<string, object> { ["host"] = resources });
    }

    /// <summary>Cinder writes every number as a string here.</summary>
    private static Dictionary<string, object> Resource(string host, string project, long volumes, long volumeGb, long snapshots, long snapshotGb) => new()
    {
        ["resource"] = new Dictionary<string, string>
        {
            ["host"] = host,
            ["project"] = project,
            ["volume_count"] = volumes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["total_volume_gb"] = volumeGb.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["snapshot_count"] = snapshots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["total_snapshot_gb"] = snapshotGb.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
