using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// <c>os-retype</c> on <c>POST /volumes/{id}/action</c>, registered by <see cref="VolumeActionsEndpoints"/>
/// (kept apart so that file stays a list of registrations).
/// </summary>
internal static class VolumeRetypeActions
{
    public const string Retype = "os-retype";

    public static bool Handles(string action) => action == Retype;

    public static async Task<IResult> ActAsync(HttpContext http, string projectId, string id, JsonElement body)
    {
        var (arguments, rootError) = BodyReader.Root(body, Retype);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        // Cinder's schema: new_type required, migration_policy one of on-demand and never (or null).
        arguments!.OnlyKnown("new_type", "migration_policy");
        arguments.Require("new_type");
        var newType = arguments.String("new_type", nullable: false);
        var policy = arguments.String("migration_policy");
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        if (policy is not null and not VolumeRetype.Never and not VolumeRetype.OnDemand and not "None")
        {
            return Refusals.BadRequest($"Invalid input for field/attribute migration_policy. Value: {policy}. '{policy}' is not one of ['on-demand', 'never', 'None', None]");
        }

        var caller = Caller.Of(http, projectId);
        var volumes = http.RequestServices.GetRequiredService<Kiln.Core.Volumes.IVolumeRepository>();
        var volume = await volumes.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeRetype, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var retype = http.RequestServices.GetRequiredService<VolumeRetype>();
        var outcome = await retype.RetypeAsync(caller, id, newType!, policy == "None" ? null : policy, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
