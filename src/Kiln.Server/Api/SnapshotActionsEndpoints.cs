using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>POST /v3/{project_id}/snapshots/{id}/action</c>: <c>os-reset_status</c>, <c>os-update_snapshot_status</c>
/// and <c>os-force_delete</c>, each answering 202 with an empty body; any other action is refused.
/// </summary>
internal static class SnapshotActionsEndpoints
{
    private const string ResetStatus = "os-reset_status";
    private const string UpdateStatus = "os-update_snapshot_status";
    private const string ForceDelete = "os-force_delete";

    // Cinder's policy rule for each action.
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        [ResetStatus] = CinderPolicyRules.SnapshotResetStatus,
        [UpdateStatus] = CinderPolicyRules.SnapshotUpdateStatus,
        [ForceDelete] = CinderPolicyRules.SnapshotForceDelete,
    };

    public static RouteGroupBuilder MapSnapshotActions(this RouteGroupBuilder snapshots)
    {
        snapshots.MapPost("/{id}/action", ActAsync);
        return snapshots;
    }

    private static async Task<IResult> ActAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service, SnapshotStatusChanges changes)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var actions = body.Value.EnumerateObject().ToList();
        if (actions.Count != 1)
        {
            return Refusals.BadRequest($"The action body must name exactly one action, as {{\"os-reset_status\": {{\"status\": \"error\"}}}}; it names {actions.Count}.");
        }

        var action = actions[0].Name;
        if (!Rules.TryGetValue(action, out var rule))
        {
            return Refusals.BadRequest($"There is no such action: {action}. Kiln supports {ResetStatus}, {UpdateStatus} and {ForceDelete} on snapshots.");
        }

        if (http.Deny(rule) is { } denied)
        {
            return denied;
        }

        var (arguments, rootError) = BodyReader.Root(body.Value, action);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        if (action == ForceDelete)
        {
            arguments!.OnlyKnown();
        }
        else
        {
            // progress is Cinder's free text ("80%"), stored and shown as given.
            arguments!.OnlyKnown(action == UpdateStatus ? ["status", "progress"] : ["status"]);
            arguments.Require("status");
        }

        var status = action == ForceDelete ? null : arguments.String("status", nullable: false);
        var progress = action == UpdateStatus ? arguments.String("progress") : null;
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        var caller = Caller.Of(http, projectId);
        var cancellationToken = http.RequestAborted;
        var outcome = action switch
        {
            ResetStatus => await changes.ResetAsync(caller, id, status, cancellationToken).ConfigureAwait(false),
            UpdateStatus => await changes.UpdateAsync(caller, id, status, cancellationToken, progress).ConfigureAwait(false),
            _ => await service.DeleteSnapshotAsync(caller, id, cancellationToken, force: true).ConfigureAwait(false),
        };
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
