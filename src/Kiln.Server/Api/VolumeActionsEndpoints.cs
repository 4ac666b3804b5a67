using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>POST /v3/{project_id}/volumes/{id}/action</c>: <c>os-extend</c> and <c>os-reset_status</c>; any other action is refused.</summary>
internal static class VolumeActionsEndpoints
{
    private static readonly string[] Supported = ["os-extend", "os-reset_status"];

    public static RouteGroupBuilder MapVolumeActions(this RouteGroupBuilder volumes)
    {
        volumes.MapPost("/{id}/action", ActAsync);
        return volumes;
    }

    private static async Task<IResult> ActAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var actions = body.Value.EnumerateObject().ToList();
        if (actions.Count != 1)
        {
            return Refusals.BadRequest($"The action body must name exactly one action, as {{\"os-extend\": {{\"new_size\": 2}}}}; it names {actions.Count}.");
        }

        var action = actions[0];
        if (!Supported.Contains(action.Name, StringComparer.Ordinal))
        {
            return Refusals.BadRequest($"There is no such action: {action.Name}. Kiln supports {string.Join(" and ", Supported)}.");
        }

        var (arguments, rootError) = BodyReader.Root(body.Value, action.Name);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var cancellationToken = http.RequestAborted;
        Outcome<Core.Volumes.Volume> outcome;
        if (action.Name == "os-extend")
        {
            arguments!.OnlyKnown("new_size");
            arguments.Require("new_size");
            var newSize = arguments.Size("new_size");
            if (arguments.Failed)
            {
                return Refusals.BadRequest(arguments.Error!);
            }

            outcome = await service.ExtendVolumeAsync(projectId, id, newSize, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            arguments!.OnlyKnown("status");
            arguments.Require("status");
            var status = arguments.String("status", nullable: false);
            if (arguments.Failed)
            {
                return Refusals.BadRequest(arguments.Error!);
            }

            outcome = await service.ResetVolumeStatusAsync(projectId, id, status, cancellationToken).ConfigureAwait(false);
        }

        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
