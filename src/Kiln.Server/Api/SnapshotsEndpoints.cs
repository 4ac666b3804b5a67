using System.Text.Json;
using Kiln.Core.Volumes;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/snapshots</c>: list, show, create, update and delete snapshots.</summary>
internal static class SnapshotsEndpoints
{
    private const string Collection = "snapshots";

    private static readonly string[] UpdateFields = ["name", "description", "display_name", "display_description"];

    private static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["name"] = (q, v) => q with { Name = v },
        ["status"] = (q, v) => q with { Status = v },
        ["volume_id"] = (q, v) => q with { VolumeId = v },
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
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, ISnapshotRepository snapshots, bool detail)
    {
        var (query, error) = ListParameters.Parse(http.Request.Query, projectId, Filters);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var page = query!.Limit == 0 ? new ListPage<Snapshot>([]) : await snapshots.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
        if (page.MarkerNotFound)
        {
            return Refusals.BadRequest($"marker [{query.Marker}] not found");
        }

        var context = ViewContext.Of(http, projectId);
        var items = page.Items.Select(s => detail ? SnapshotView.Detail(s, context) : SnapshotView.Summary(s)).ToList();
        var body = new Dictionary<string, object?> { [Collection] = items };
        var path = detail ? "snapshots/detail" : Collection;
        if (context.NextLinks(path, items.Count, ListParameters.EffectiveLimit(query), (page.Items.Count > 0 ? page.Items[^1].Id : null)) is { } links)
        {
            body["snapshots_links"] = links;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, ISnapshotRepository snapshots)
    {
        var snapshot = await snapshots.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        return snapshot is null || snapshot.ProjectId != projectId
            ? NotFound(id)
            : Json(snapshot, http, projectId);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, VolumeService service)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (request, error) = ReadCreate(body.Value);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var outcome = await service.CreateSnapshotAsync(projectId, request!, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Json(outcome.Value!, http, projectId, StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, ISnapshotRepository snapshots)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (snapshot, rootError) = BodyReader.Root(body.Value, "snapshot");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        snapshot!.OnlyKnown(UpdateFields);
        var name = snapshot.String("name") ?? snapshot.String("display_name");
        var description = snapshot.String("description") ?? snapshot.String("display_description");
        if (!snapshot.Failed && !UpdateFields.Any(snapshot.Has))
        {
            snapshot.Fail("Invalid input for field/attribute snapshot: give at least one of name, description, display_name and display_description.");
        }

        if (snapshot.Failed)
        {
            return Refusals.BadRequest(snapshot.Error!);
        }

        var current = await snapshots.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (current is null || current.ProjectId != projectId)
        {
            return NotFound(id);
        }

        // Conditional on the status read above, like every other write, so a concurrent status change is not overwritten.
        var updated = await snapshots.TryUpdateAsync(
            current.Id,
            [current.Status],
            s => s with { Name = name ?? s.Name, Description = description ?? s.Description },
            http.RequestAborted).ConfigureAwait(false);
        return updated is null
            ? Refusals.Conflict($"Snapshot {current.Id} changed status while the request was handled; try again.")
            : Json(updated, http, projectId);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service)
    {
        var outcome = await service.DeleteSnapshotAsync(projectId, id, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static (CreateSnapshotRequest? Request, string? Error) ReadCreate(JsonElement body)
    {
        var (snapshot, rootError) = BodyReader.Root(body, "snapshot");
        if (rootError is not null)
        {
            return (null, rootError);
        }

        snapshot!.OnlyKnown("name", "display_name", "description", "volume_id", "force", "metadata");
        snapshot.Require("volume_id");
        var request = new CreateSnapshotRequest
        {
            Name = snapshot.String("name") ?? snapshot.String("display_name"),
            Description = snapshot.String("description"),
            VolumeId = snapshot.Uuid("volume_id"),
            Force = snapshot.Boolean("force") ?? false,
            Metadata = snapshot.Map("metadata"),
        };
        return snapshot.Failed ? (null, snapshot.Error) : (request, null);
    }

    private static IResult NotFound(string id) => Refusals.NotFound($"Snapshot {id} could not be found.");

    private static IResult Json(Snapshot snapshot, HttpContext http, string projectId, int status = StatusCodes.Status200OK) =>
        Results.Json(new Dictionary<string, object?> { ["snapshot"] = SnapshotView.Detail(snapshot, ViewContext.Of(http, projectId)) }, statusCode: status);
}
