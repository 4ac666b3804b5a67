using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// <c>revert</c> (3.40) on <c>POST /volumes/{id}/action</c>: <c>{"revert": {"snapshot_id": …}}</c>, registered by
/// <see cref="VolumeActionsEndpoints"/>. Below 3.40 the action does not exist (404), as in Cinder.
/// </summary>
internal static class VolumeRevertActions
{
    public const string Revert = "revert";

    /// <summary>Cinder's VOLUME_REVERT.</summary>
    public static ApiVersion Since { get; } = new(3, 40);

    public static bool Handles(string action) => action == Revert;

    public static async Task<IResult> ActAsync(HttpContext http, string projectId, string id, JsonElement body)
    {
        if (MicroversionFilter.Of(http) < Since)
        {
            return Refusals.NotFound("The resource could not be found: revert needs microversion 3.40 or later.");
        }

        var (arguments, rootError) = BodyReader.Root(body, Revert);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        arguments!.OnlyKnown("snapshot_id");
        arguments.Require("snapshot_id");
        var snapshotId = arguments.Uuid("snapshot_id");
        if (arguments.Failed || snapshotId is null)
        {
            return Refusals.BadRequest(arguments.Error ?? "Invalid input for field/attribute snapshot_id. Value: None. None is not of type 'string'.");
        }

        var caller = Caller.Of(http, projectId);
        var volume = await http.RequestServices.GetRequiredService<Kiln.Core.Volumes.IVolumeRepository>().FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeRevertToSnapshot, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await http.RequestServices.GetRequiredService<VolumeRevert>().RevertAsync(caller, id, snapshotId, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
