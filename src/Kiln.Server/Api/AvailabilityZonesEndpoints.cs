using Kiln.Core.Lifecycle;
using Kiln.Server.Configuration;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary><c>GET /v3/{project_id}/os-availability-zone</c>: this node's zone, available while any backend can take new volumes.</summary>
internal static class AvailabilityZonesEndpoints
{
    public static RouteGroupBuilder MapAvailabilityZones(this RouteGroupBuilder v3)
    {
        v3.MapGet("/os-availability-zone", (KilnConfiguration configuration, IBackendStates backends) =>
        {
            var zone = new Dictionary<string, object>
            {
                ["zoneName"] = configuration.StorageAvailabilityZone,
                ["zoneState"] = new Dictionary<string, bool> { ["available"] = backends.All.Any(b => b.State.IsSchedulable()) },
            };
            return Results.Json(new Dictionary<string, object> { ["availabilityZoneInfo"] = new[] { zone } });
        });
        return v3;
    }
}
