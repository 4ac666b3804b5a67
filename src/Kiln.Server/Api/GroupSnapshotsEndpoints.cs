using Kiln.Core.Volumes;
using Kiln.Server.Groups;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/group_snapshots</c> (3.14+): list, show, create, delete, and the
/// <c>reset_status</c> action (3.19, administrators), as Cinder's <c>group_snapshots.py</c>.
/// </summary>
internal static class GroupSnapshotsEndpoints
{
    public static ApiVersion GroupSnapshots { get; } = new(3, 14);

    public static ApiVersion ResetStatus { get; } = new(3, 19);

    private static readonly string[] SortKeys = ["id", "name", "status", "created_at", "group_id"];

    private static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["name"] = (q, v) => q with { Name = v },
        ["status"] = (q, v) => q with { Status = v },

        // Applied below: ListQuery has no group field.
        ["group_id"] = (q, _) => q,
    };

    public static RouteGroupBuilder MapGroupSnapshots(this RouteGroupBuilder v3)
    {
        var snapshots = v3.MapGroup("/group_snapshots");
        snapshots.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IGroupRepository groups) => ListAsync(http, projectId, groups, detail: false));
        snapshots.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IGroupRepository groups) => ListAsync(http, projectId, groups, detail: true));
        snapshots.MapGet("/{id}", ShowAsync);
        snapshots.MapPost("", CreateAsync);
        snapshots.MapDelete("/{id}", DeleteAsync);
        snapshots.MapPost("/{id}/action", ActionAsync);
        return v3;
    }

    private static IResult? Unavailable(HttpContext http, ApiVersion since) => GroupTypesEndpoints.Unavailable(http, since, "group snapshots");

    private static IResult NotFound(string id) => Refusals.NotFound($"GroupSnapshot {id} could not be found.");

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, IGroupRepository groups, bool detail)
    {
        if ((Unavailable(http, GroupSnapshots) ?? http.Deny(GroupPolicyRules.SnapshotGetAll)) is { } refused)
        {
            return refused;
        }

        var (query, error) = ListParameters.Parse(http.Request.Query, ListParameters.ProjectScope(http, projectId), Filters, SortKeys);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var groupId = http.Request.Query.TryGetValue("group_id", out var wanted) ? wanted.ToString() : null;
        var all = (await groups.ListSnapshotsAsync(query!.ProjectId, http.RequestAborted).ConfigureAwait(false))
            .Where(s => query.Name is null || s.Name == query.Name)
            .Where(s => query.Status is null || s.Status.ToWireName() == query.Status)
            .Where(s => groupId is null || s.GroupId == groupId)
            .ToList();
        var (page, markerError) = GroupListing.Page(all, query, s => s.Id, (s, key) => key switch
        {
            "id" => s.Id,
            "status" => s.Status.ToWireName(),
            "group_id" => s.GroupId,
            "created_at" => GroupListing.Sortable(s.CreatedAt),
            _ => s.Name ?? string.Empty,
        });
        if (markerError is not null)
        {
            return Refusals.BadRequest(markerError);
        }

        var context = ViewContext.Of(http, projectId);
        var body = new Dictionary<string, object?>
        {
            ["group_snapshots"] = page!.Select(s => detail ? GroupView.SnapshotDetail(s, context) : GroupView.SnapshotSummary(s, withType: false)).ToList(),
        };
        if (context.NextLinks(detail ? "group_snapshots/detail" : "group_snapshots", page!.Count, ListParameters.EffectiveLimit(query), page.Count > 0 ? page[^1].Id : null) is { } links)
        {
            body["group_snapshot_links"] = links;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service)
    {
        if (Unavailable(http, GroupSnapshots) is { } unavailable)
        {
            return unavailable;
        }

        var snapshot = await service.FindSnapshotAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        if (snapshot is null)
        {
            return NotFound(id);
        }

        return http.Deny(GroupPolicyRules.SnapshotGet, snapshot.ProjectId)
            ?? Results.Json(new Dictionary<string, object?> { ["group_snapshot"] = GroupView.SnapshotDetail(snapshot, ViewContext.Of(http, projectId)) });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, GroupService service)
    {
        if ((Unavailable(http, GroupSnapshots) ?? http.Deny(GroupPolicyRules.SnapshotCreate)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group_snapshot");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "group_id");
        fields.Require("group_id");
        var groupId = fields.Uuid("group_id");
        var name = fields.String("name");
        var description = fields.String("description");
        if (!fields.Failed && groupId is null)
        {
            fields.Fail("Invalid input for field/attribute group_id. Value: None. None is not of type 'string'.");
        }

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var outcome = await service.CreateSnapshotAsync(Caller.Of(http, projectId), groupId!, name?.Trim(), description?.Trim(), http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new Dictionary<string, object?> { ["group_snapshot"] = GroupView.SnapshotSummary(outcome.Value!, withType: true) }, statusCode: StatusCodes.Status202Accepted)
            : Refusals.From(outcome);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service)
    {
        if (Unavailable(http, GroupSnapshots) is { } unavailable)
        {
            return unavailable;
        }

        var caller = Caller.Of(http, projectId);
        var snapshot = await service.FindSnapshotAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
        if (snapshot is null)
        {
            return NotFound(id);
        }

        if (http.Deny(GroupPolicyRules.SnapshotDelete, snapshot.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.DeleteSnapshotAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static async Task<IResult> ActionAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service)
    {
        if (Unavailable(http, GroupSnapshots) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        if (!body.Value.TryGetProperty("reset_status", out _))
        {
            var action = body.Value.EnumerateObject().Select(p => p.Name).FirstOrDefault() ?? "(none)";
            return Refusals.BadRequest($"There is no such action: {action}");
        }

        if ((Unavailable(http, ResetStatus) ?? http.Deny(GroupPolicyRules.SnapshotResetStatus)) is { } refused)
        {
            return refused;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "reset_status");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("status");
        fields.Require("status");
        var status = fields.String("status", nullable: false);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var outcome = await service.ResetSnapshotStatusAsync(Caller.Of(http, projectId), id, status!.ToLowerInvariant(), http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }
}
