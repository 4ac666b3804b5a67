using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// <c>PUT /v3/{project_id}/os-services/freeze</c> and <c>/thaw</c> with <c>{"host": "host@backend"}</c>:
/// Cinder's freeze records the backend as frozen and disables it with reason <c>frozen</c> (so the
/// scheduler places nothing there); thaw clears both. Kiln's drivers have no freeze hook to call.
/// </summary>
internal static class FreezeThawEndpoints
{
    /// <summary>From 3.26 Cinder accepts a <c>cluster</c> instead of a host; Kiln has no clusters.</summary>
    public static ApiVersion ReplicationCluster { get; } = new(3, 26);

    public static RouteGroupBuilder MapFreezeThaw(this RouteGroupBuilder v3)
    {
        v3.MapPut("/os-services/freeze", (HttpContext http, ServiceDirectory directory) => SetAsync(http, directory, frozen: true));
        v3.MapPut("/os-services/thaw", (HttpContext http, ServiceDirectory directory) => SetAsync(http, directory, frozen: false));
        return v3;
    }

    private static async Task<IResult> SetAsync(HttpContext http, ServiceDirectory directory, bool frozen)
    {
        if ((http.Deny(CinderPolicyRules.ServicesUpdate) ?? http.Deny(frozen ? CinderPolicyRules.FreezeHost : CinderPolicyRules.ThawHost)) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var reader = new BodyReader(body.Value, "body");
        reader.OnlyKnown("host", "cluster");
        var host = reader.String("host");
        var cluster = reader.String("cluster");
        if (reader.Failed)
        {
            return Refusals.BadRequest(reader.Error!);
        }

        var withCluster = MicroversionFilter.Of(http) >= ReplicationCluster;
        if (!withCluster)
        {
            cluster = null;
        }

        if (string.IsNullOrEmpty(host) == string.IsNullOrEmpty(cluster))
        {
            return Refusals.BadRequest(withCluster ? "Invalid input received: One and only one of cluster and host must be set." : "Invalid input received: Host field is missing.");
        }

        if (host is null)
        {
            return Refusals.BadRequest($"Invalid input received: No service found with cluster={cluster}");
        }

        var services = await directory.ListAsync(http.RequestAborted).ConfigureAwait(false);
        if (!services.Any(s => s.Record.Binary == StoredService.VolumeBinary && s.Record.Host == host))
        {
            return Refusals.BadRequest($"Invalid input received: No service found with host={host}");
        }

        if (await directory.SetFrozenAsync(host, frozen, http.RequestAborted).ConfigureAwait(false) is null)
        {
            // Cinder's wording: the condition is "frozen must be <the opposite>".
            return Refusals.BadRequest($"Invalid input received: No service could be changed: frozen in ['{host}'] must be {(frozen ? "False" : "True")} to failover.");
        }

        return Results.Ok();
    }
}
