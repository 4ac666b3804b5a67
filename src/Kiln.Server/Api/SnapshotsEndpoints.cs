using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/snapshots</c>: list, show, create, update and delete snapshots.</summary>
internal static class SnapshotsEndpoints
{
    private const string Collection = "snapshots";

    private static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["name"] = (q, v) => q with { Name = v },
        ["status"] = (q, v) => q with { Status = v },
        ["volume_id"] = (q, v) => q with { VolumeId = v },
        ["availability_zone"] = (q, v) => q with { AvailabilityZone = v },
        ["metadata"] = ResourceListRequest.Metadata,
    };

    public static RouteGroupBuilder MapSnapshots(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/snapshots");
        group.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, ISnapshotRepository snapshots) =>
            ListAsync(http, projectId, snapshots, detail: false));
        group.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, ISnapshotRepository snapshots) =>
            ListAsync(http, projectId, snapshots, detail: true));
        group.MapGet("/{id}", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapMetadata(Metadata.MetadataResource.Snapshot);
        group.MapSnapshotActions();
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, ISnapshotRepository snapshots, bool detail)
    {
        if (http.Deny(CinderPolicyRules.SnapshotGetAll) is { } denied)
        {
            return denied;
        }

        var (query, withCount, error) = ResourceListRequest.Parse(http, ListParameters.ProjectScope(http, projectId), Filters, ResourceListRequest.SnapshotUserFilters);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var page = query!.Limit == 0 ? new ListPage<Snapshot>([]) : await snapshots.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
        if (page.MarkerNotFound)
        {
            // Cinder's MarkerNotFound for snapshots (Tempest checks the 404).
            return Refusals.NotFound($"Marker {query.Marker} could not be found.");
        }

        var context = ViewContext.Of(http, projectId);
        var items = page.Items.Select(s => detail ? SnapshotView.Detail(s, context) : SnapshotView.Summary(s, context)).ToList();
        var body = new Dictionary<string, object?> { [Collection] = items };
        var path = detail ? "snapshots/detail" : Collection;
        if (context.NextLinks(path, items.Count, ListParameters.EffectiveLimit(query), (page.Items.Count > 0 ? page.Items[^1].Id : null)) is { } links)
        {
            body["snapshots_links"] = links;
        }

        if (withCount)
        {
            body["count"] = await http.RequestServices.GetRequiredService<IVolumeListing>().CountSnapshotsAsync(query, http.RequestAborted).ConfigureAwait(false);
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, ISnapshotRepository snapshots)
    {
        var snapshot = await snapshots.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (snapshot is null || !Caller.Of(http, projectId).Sees(snapshot.ProjectId))
        {
            return NotFound(id);
        }

        return http.Deny(CinderPolicyRules.SnapshotGet, snapshot.ProjectId) ?? Results.Json(new Dictionary<string, object?> { ["snapshot"] = SnapshotView.Detail(snapshot, ViewContext.Of(http, projectId)) });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, VolumeService service)
    {
        if (http.Deny(CinderPolicyRules.SnapshotCreate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (request, error) = SnapshotRequestReader.ReadCreate(body.Value, MetadataLimit.Max(http));
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        // An explicit null volume_id reaches Cinder's volume lookup, which answers 404.
        if (request!.VolumeId is null)
        {
            return Refusals.NotFound("Volume None could not be found.");
        }

        (request, error) = SnapshotInUse.Apply(http, body.Value, request!);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var outcome = await service.CreateSnapshotAsync(Caller.Of(http, projectId), request!, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Json(outcome.Value!, http, projectId, StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, ISnapshotRepository snapshots)
    {
        if (http.Deny(CinderPolicyRules.SnapshotUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (update, error) = SnapshotRequestReader.ReadUpdate(body.Value);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var current = await snapshots.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (current is null || !Caller.Of(http, projectId).Sees(current.ProjectId))
        {
            return NotFound(id);
        }

        // Conditional on the status read above, like every other write, so a concurrent status change is not overwritten.
        var updated = await snapshots.TryUpdateAsync(
            current.Id,
            [current.Status],
            s => s with { Name = update!.Name ?? s.Name, Description = update.Description ?? s.Description },
            http.RequestAborted).ConfigureAwait(false);
        return updated is null
            ? Refusals.Conflict($"Snapshot {current.Id} changed status while the request was handled; try again.")
            : Json(updated, http, projectId);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service)
    {
        if (http.Deny(CinderPolicyRules.SnapshotDelete) is { } denied)
        {
            return denied;
        }

        var outcome = await service.DeleteSnapshotAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static IResult NotFound(string id) => Refusals.NotFound($"Snapshot {id} could not be found.");

    /// <summary>The answer to a create or an update: Cinder's base view, without the extended attributes.</summary>
    private static IResult Json(Snapshot snapshot, HttpContext http, string projectId, int status = StatusCodes.Status200OK) =>
        Results.Json(new Dictionary<string, object?> { ["snapshot"] = SnapshotView.Summary(snapshot, ViewContext.Of(http, projectId)) }, statusCode: status);
}
