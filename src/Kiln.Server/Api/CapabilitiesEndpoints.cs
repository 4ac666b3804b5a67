using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary><c>GET /v3/{project_id}/capabilities/{host}</c> for a backend <c>host@backend</c>.</summary>
internal static class CapabilitiesEndpoints
{
    public static RouteGroupBuilder MapCapabilities(this RouteGroupBuilder v3)
    {
        v3.MapGet("/capabilities/{host}", (HttpContext http, string host, IBackendStates backends) =>
        {
            if (http.Deny(CinderPolicyRules.Capabilities) is { } denied)
            {
                return denied;
            }

            if (backends.Find(host) is not { } backend)
            {
                return Refusals.NotFound($"Can't find service: {host}");
            }

            // Capabilities come from the driver's stats; a backend that never initialized has none to show.
            return backend.Stats is { } stats
                ? Results.Json(CapabilitiesView.Of(host, stats))
                : Refusals.Conflict($"The capabilities of backend {host} are not known yet: {VolumeManager.NotReadyReason(backend)}");
        });
        return v3;
    }
}
