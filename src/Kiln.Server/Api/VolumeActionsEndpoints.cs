using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>POST /v3/{project_id}/volumes/{id}/action</c>: <c>os-extend</c>, <c>os-reset_status</c>,
/// <c>os-force_delete</c>, <c>os-initialize_connection</c> and <c>os-terminate_connection</c>; any other action is refused.
/// </summary>
internal static class VolumeActionsEndpoints
{
    private const string InitializeConnection = "os-initialize_connection";
    private const string TerminateConnection = "os-terminate_connection";

    private const string ForceDelete = "os-force_delete";

    /// <summary>Cinder's VOLUME_EXTEND_INUSE: os-extend of an in-use volume.</summary>
    private static readonly ApiVersion ExtendInUse = new(3, 42);

    private static readonly string[] Supported = ["os-extend", "os-reset_status", ForceDelete, InitializeConnection, TerminateConnection];

    // Cinder's policy rule for each action.
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        ["os-extend"] = CinderPolicyRules.VolumeExtend,
        ["os-reset_status"] = CinderPolicyRules.VolumeResetStatus,
        [ForceDelete] = CinderPolicyRules.VolumeAdminForceDelete,
        [InitializeConnection] = CinderPolicyRules.VolumeInitializeConnection,
        [TerminateConnection] = CinderPolicyRules.VolumeTerminateConnection,
    };

    public static RouteGroupBuilder MapVolumeActions(this RouteGroupBuilder volumes)
    {
        volumes.MapPost("/{id}/action", ActAsync);
        return volumes;
    }

    private static async Task<IResult> ActAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service, VolumeConnections connections)
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
        if (VolumeRetypeActions.Handles(action.Name))
        {
            return await VolumeRetypeActions.ActAsync(http, projectId, id, body.Value).ConfigureAwait(false);
        }

        if (VolumeMigrateActions.Handles(action.Name))
        {
            return await VolumeMigrateActions.ActAsync(http, projectId, id, body.Value).ConfigureAwait(false);
        }

        if (VolumeRevertActions.Handles(action.Name))
        {
            return await VolumeRevertActions.ActAsync(http, projectId, id, body.Value).ConfigureAwait(false);
        }

        if (LegacyAttachEndpoints.Handles(action.Name))
        {
            return await LegacyAttachEndpoints.ActAsync(http, projectId, id, action).ConfigureAwait(false);
        }

        if (VolumeFlagActions.Handles(action.Name))
        {
            return await VolumeFlagActions.ActAsync(http, projectId, id, action, body.Value).ConfigureAwait(false);
        }

        if (!Supported.Contains(action.Name, StringComparer.Ordinal))
        {
            return Refusals.BadRequest($"There is no such action: {action.Name}. Kiln supports {string.Join(", ", Supported[..^1])} and {Supported[^1]}.");
        }

        if (http.Deny(Rules[action.Name]) is { } denied)
        {
            return denied;
        }

        var (arguments, rootError) = BodyReader.Root(body.Value, action.Name);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var cancellationToken = http.RequestAborted;
        var caller = Caller.Of(http, projectId);
        return action.Name switch
        {
            InitializeConnection or TerminateConnection => await ConnectAsync(action, arguments!, caller, id, connections, cancellationToken).ConfigureAwait(false),
            "os-extend" => await ExtendAsync(http, arguments!, caller, id, service, cancellationToken).ConfigureAwait(false),
            ForceDelete => await ForceDeleteAsync(arguments!, caller, id, service, cancellationToken).ConfigureAwait(false),
            _ => await ResetStatusAsync(arguments!, caller, id, service, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IResult> ExtendAsync(HttpContext http, BodyReader arguments, Caller caller, string id, VolumeService service, CancellationToken cancellationToken)
    {
        arguments.OnlyKnown("new_size");
        arguments.Require("new_size");
        var newSize = arguments.Size("new_size");
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        // From 3.42 an in-use volume extends too, under Cinder's own rule for it.
        var attachedAllowed = MicroversionFilter.Of(http) >= ExtendInUse;
        if (attachedAllowed
            && await http.RequestServices.GetRequiredService<Kiln.Core.Volumes.IVolumeRepository>().FindAsync(id, cancellationToken).ConfigureAwait(false) is { Status: Kiln.Core.Volumes.VolumeStatus.InUse } attached
            && caller.Sees(attached.ProjectId)
            && http.Deny(CinderPolicyRules.VolumeExtendAttached, attached.ProjectId) is { } denied)
        {
            return denied;
        }

        return Accepted(await service.ExtendVolumeAsync(caller, id, newSize, attachedAllowed, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Cinder's admin delete: any status but in-use, still refused while the volume has snapshots.</summary>
    private static async Task<IResult> ForceDeleteAsync(BodyReader arguments, Caller caller, string id, VolumeService service, CancellationToken cancellationToken)
    {
        arguments.OnlyKnown();
        return arguments.Failed
            ? Refusals.BadRequest(arguments.Error!)
            : Accepted(await service.DeleteVolumeAsync(caller, id, cancellationToken, force: true).ConfigureAwait(false));
    }

    private static async Task<IResult> ResetStatusAsync(BodyReader arguments, Caller caller, string id, VolumeService service, CancellationToken cancellationToken)
    {
        arguments.OnlyKnown("status");
        arguments.Require("status");
        var status = arguments.String("status", nullable: false);
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        return Accepted(await service.ResetVolumeStatusAsync(caller, id, status, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Both connection actions: <c>{"connector": {…}}</c>; initialize answers 200 with the connection info, terminate 202.</summary>
    private static async Task<IResult> ConnectAsync(
        JsonProperty action, BodyReader arguments, Caller caller, string id, VolumeConnections connections, CancellationToken cancellationToken)
    {
        arguments.OnlyKnown("connector");
        arguments.Require("connector");
        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        var initialize = action.Name == InitializeConnection;
        var (connector, connectorError) = ConnectorReader.Read(action.Value.GetProperty("connector"), nullMeansEveryHost: !initialize);
        if (connectorError is not null)
        {
            return Refusals.BadRequest(connectorError);
        }

        if (!initialize)
        {
            return Accepted(await connections.TerminateAsync(caller, id, connector!, cancellationToken).ConfigureAwait(false));
        }

        var outcome = await connections.InitializeAsync(caller, id, connector!, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return Refusals.From(outcome);
        }

        return Results.Json(new Dictionary<string, object>
        {
            ["connection_info"] = new Dictionary<string, object>
            {
                ["driver_volume_type"] = outcome.Value!.DriverVolumeType,
                ["data"] = outcome.Value.Data,
            },
        });
    }

    private static IResult Accepted<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
}
