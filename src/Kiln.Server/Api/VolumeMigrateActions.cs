using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// The admin's <c>os-migrate_volume</c> on <c>POST /volumes/{id}/action</c> (Cinder's body: <c>host</c>,
/// <c>force_host_copy</c>, <c>lock_volume</c>; <c>cluster</c> from 3.16, which Kiln, without clusters, refuses).
/// Kiln always copies through its own process and always locks the volume (<c>maintenance</c>), since its
/// other actions key on the status; both flags are validated as Cinder validates them.
/// </summary>
internal static class VolumeMigrateActions
{
    public const string Migrate = "os-migrate_volume";

    /// <summary>Cinder's VOLUME_MIGRATE_CLUSTER: <c>cluster</c> accepted in the body.</summary>
    public static ApiVersion Cluster { get; } = new(3, 16);

    public static bool Handles(string action) => action == Migrate;

    public static async Task<IResult> ActAsync(HttpContext http, string projectId, string id, JsonElement body)
    {
        var (arguments, rootError) = BodyReader.Root(body, Migrate);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var withCluster = MicroversionFilter.Of(http) >= Cluster;
        if (withCluster)
        {
            arguments!.OnlyKnown("host", "cluster", "force_host_copy", "lock_volume");
        }
        else
        {
            arguments!.OnlyKnown("host", "force_host_copy", "lock_volume");
            arguments.Require("host");
        }

        var host = arguments.String("host", minLength: 1, maxLength: 255);
        var cluster = withCluster ? arguments.String("cluster", minLength: 1, maxLength: 255) : null;
        _ = arguments.Boolean("force_host_copy");
        _ = arguments.Boolean("lock_volume");
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        // Cinder's common.get_cluster_host: exactly one of the two.
        if (host is not null && cluster is not null)
        {
            return Refusals.BadRequest("Invalid input received: Only one of host or cluster can be specified.");
        }

        if (cluster is not null)
        {
            return Refusals.BadRequest($"Invalid host: No available service named '{cluster}' (Kiln has no clusters; name a host@backend).");
        }

        if (host is null)
        {
            return Refusals.BadRequest("Invalid input received: host or cluster must be specified.");
        }

        var caller = Caller.Of(http, projectId);
        var volume = await http.RequestServices.GetRequiredService<Kiln.Core.Volumes.IVolumeRepository>().FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeMigrate, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await http.RequestServices.GetRequiredService<VolumeMigration>().MigrateAsync(caller, id, host, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
