using System.Globalization;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Transfers;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// Volume transfers: <c>/v3/{project_id}/os-volume-transfer</c> (every microversion) and
/// <c>/v3/{project_id}/volume-transfers</c> (3.55+, which also takes <c>no_snapshots</c>). Both answer
/// with one view whose fields follow the microversion, as Cinder's shared view builder does: 3.55 adds
/// <c>no_snapshots</c>, 3.57 <c>destination_project_id</c>, <c>source_project_id</c> and <c>accepted</c>.
/// </summary>
internal static class TransfersEndpoints
{
    /// <summary>Cinder's TRANSFER_WITH_SNAPSHOTS: <c>volume-transfers</c>, <c>no_snapshots</c>.</summary>
    public static ApiVersion WithSnapshots { get; } = new(3, 55);

    /// <summary>Cinder's TRANSFER_WITH_HISTORY: the projects and <c>accepted</c> in the view.</summary>
    public static ApiVersion WithHistory { get; } = new(3, 57);

    /// <summary>The links' collection, one name for both routes as Cinder's view builder has it.</summary>
    private const string Collection = "os-volume-transfer";

    public static RouteGroupBuilder MapTransfers(this RouteGroupBuilder v3)
    {
        Map(v3.MapGroup("/os-volume-transfer"), modern: false);
        Map(v3.MapGroup("/volume-transfers"), modern: true);
        return v3;
    }

    private static void Map(RouteGroupBuilder group, bool modern)
    {
        group.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, TransferService service) => ListAsync(http, projectId, service, modern, detail: false));
        group.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, TransferService service) => ListAsync(http, projectId, service, modern, detail: true));
        group.MapGet("/{id}", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, TransferService service) => ShowAsync(http, projectId, id, service, modern));
        group.MapPost("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, TransferService service, Kiln.Core.Volumes.IVolumeRepository volumes) =>
            CreateAsync(http, projectId, service, volumes, modern));
        group.MapPost("/{id}/accept", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, TransferService service) => AcceptAsync(http, projectId, id, service, modern));
        group.MapDelete("/{id}", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, TransferService service) => DeleteAsync(http, projectId, id, service, modern));
    }

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, TransferService service, bool modern, bool detail)
    {
        if ((Unavailable(http, modern) ?? http.Deny(CinderPolicyRules.TransferGetAll)) is { } refused)
        {
            return refused;
        }

        var query = http.Request.Query;
        var (limit, offset, error) = Paging(query);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        IEnumerable<VolumeTransfer> all = await service.ListAsync(ListParameters.ProjectScope(http, projectId), http.RequestAborted).ConfigureAwait(false);
        if (query.TryGetValue("name", out var name))
        {
            all = all.Where(t => string.Equals(t.Name, name.ToString(), StringComparison.Ordinal));
        }

        if (query.TryGetValue("volume_id", out var volumeId))
        {
            all = all.Where(t => string.Equals(t.VolumeId, volumeId.ToString(), StringComparison.Ordinal));
        }

        if (query.TryGetValue("marker", out var marker))
        {
            var list = all.ToList();
            var at = list.FindIndex(t => t.Id == marker.ToString());
            if (at < 0)
            {
                return Refusals.BadRequest($"marker [{marker}] not found");
            }

            all = list.Skip(at + 1);
        }

        var context = ViewContext.Of(http, projectId);
        var items = all.Skip(offset).Take(limit).Select(t => detail ? Detail(t, context) : Summary(t, context)).ToList();
        return Results.Json(new Dictionary<string, object?> { ["transfers"] = items });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string projectId, string id, TransferService service, bool modern)
    {
        if ((Unavailable(http, modern) ?? http.Deny(CinderPolicyRules.TransferGet)) is { } refused)
        {
            return refused;
        }

        var transfer = await service.FindAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        return transfer is null
            ? NotFound(id)
            : Results.Json(new Dictionary<string, object?> { ["transfer"] = Detail(transfer, ViewContext.Of(http, projectId)) });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string projectId, TransferService service, Kiln.Core.Volumes.IVolumeRepository volumes, bool modern)
    {
        if (Unavailable(http, modern) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (reader, rootError) = BodyReader.Root(body.Value, "transfer");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        // Cinder's schemas: create (volume_id, name) on os-volume-transfer; create_v355 adds no_snapshots on volume-transfers.
        if (modern)
        {
            reader!.OnlyKnown("volume_id", "name", "no_snapshots");
        }
        else
        {
            reader!.OnlyKnown("volume_id", "name");
        }

        reader.Require("volume_id");
        var volumeId = reader.Uuid("volume_id");
        var name = reader.String("name");
        var noSnapshots = reader.Boolean("no_snapshots") ?? false;
        if (reader.Failed)
        {
            return Refusals.BadRequest(reader.Error!);
        }

        if (volumeId is null)
        {
            return Refusals.BadRequest("Invalid input for field/attribute volume_id. Value: None. None is not of type 'string'.");
        }

        var caller = Caller.Of(http, projectId);
        var volume = await volumes.FindAsync(volumeId, http.RequestAborted).ConfigureAwait(false);
        if (volume is not null && caller.Sees(volume.ProjectId) && http.Deny(CinderPolicyRules.TransferCreate, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.CreateAsync(caller, volumeId, name, noSnapshots, http.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return Refusals.From(outcome);
        }

        var view = Detail(outcome.Value!.Transfer, ViewContext.Of(http, projectId));
        view["auth_key"] = outcome.Value.AuthKey;
        return Results.Json(new Dictionary<string, object?> { ["transfer"] = view }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> AcceptAsync(HttpContext http, string projectId, string id, TransferService service, bool modern)
    {
        if ((Unavailable(http, modern) ?? http.Deny(CinderPolicyRules.TransferAccept)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (reader, rootError) = BodyReader.Root(body.Value, "accept");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        reader!.OnlyKnown("auth_key");
        reader.Require("auth_key");
        var authKey = reader.String("auth_key", minLength: 1, nullable: false);
        if (reader.Failed)
        {
            return Refusals.BadRequest(reader.Error!);
        }

        var outcome = await service.AcceptAsync(Caller.Of(http, projectId), id, authKey!, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new Dictionary<string, object?> { ["transfer"] = Summary(outcome.Value!, ViewContext.Of(http, projectId)) }, statusCode: StatusCodes.Status202Accepted)
            : Refusals.From(outcome);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string projectId, string id, TransferService service, bool modern)
    {
        if (Unavailable(http, modern) is { } unavailable)
        {
            return unavailable;
        }

        var caller = Caller.Of(http, projectId);
        var transfer = await service.FindAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
        if (transfer is null)
        {
            return NotFound(id);
        }

        if (http.Deny(CinderPolicyRules.TransferDelete, transfer.SourceProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.DeleteAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    /// <summary>Cinder's summary: id, volume_id, name and links.</summary>
    internal static Dictionary<string, object?> Summary(VolumeTransfer transfer, ViewContext context) => new()
    {
        ["id"] = transfer.Id,
        ["volume_id"] = transfer.VolumeId,
        ["name"] = transfer.Name,
        ["links"] = context.Links(Collection, transfer.Id),
    };

    /// <summary>Cinder's detail (and create) view for the request's microversion.</summary>
    internal static Dictionary<string, object?> Detail(VolumeTransfer transfer, ViewContext context)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = transfer.Id,
            ["created_at"] = ServiceView.Timestamp(transfer.CreatedAt),
            ["name"] = transfer.Name,
            ["volume_id"] = transfer.VolumeId,
            ["links"] = context.Links(Collection, transfer.Id),
        };
        if (context.Version >= WithSnapshots)
        {
            view["no_snapshots"] = transfer.NoSnapshots;
        }

        if (context.Version >= WithHistory)
        {
            view["destination_project_id"] = transfer.DestinationProjectId;
            view["source_project_id"] = transfer.SourceProjectId;
            view["accepted"] = transfer.Accepted;
        }

        return view;
    }

    /// <summary>Cinder's <c>limit</c> and <c>offset</c> (common.limited).</summary>
    private static (int Limit, int Offset, string? Error) Paging(IQueryCollection query)
    {
        var limit = ListParameters.MaxLimit;
        var offset = 0;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit)))
        {
            return (0, 0, "limit param must be an integer");
        }

        if (query.TryGetValue("offset", out var offsetText)
            && (!int.TryParse(offsetText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return (0, 0, "offset param must be an integer");
        }

        return (Math.Min(limit, ListParameters.MaxLimit), offset, null);
    }

    /// <summary><c>volume-transfers</c> exists from 3.55; below it the route is not there.</summary>
    private static IResult? Unavailable(HttpContext http, bool modern) =>
        modern && MicroversionFilter.Of(http) < WithSnapshots
            ? Refusals.NotFound("The resource could not be found: volume-transfers needs microversion 3.55 or later (os-volume-transfer serves every microversion).")
            : null;

    private static IResult NotFound(string id) => Refusals.NotFound($"Transfer {id} could not be found.");
}
