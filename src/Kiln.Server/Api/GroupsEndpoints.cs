using System.Text.Json;
using Kiln.Core.Volumes;
using Kiln.Server.Groups;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/groups</c> (3.13+): Cinder's generic volume groups — list, show, create,
/// update (name, description, add and remove volumes), and the actions <c>delete</c> (3.13),
/// <c>reset_status</c> (3.20, administrators) and <c>create-from-src</c> (3.14).
/// </summary>
internal static class GroupsEndpoints
{
    public static ApiVersion Groups { get; } = new(3, 13);

    public static ApiVersion FromSource { get; } = new(3, 14);

    public static ApiVersion ResetStatus { get; } = new(3, 20);

    private static readonly string[] SortKeys = ["id", "name", "status", "created_at", "availability_zone"];

    private static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["name"] = (q, v) => q with { Name = v },
        ["status"] = (q, v) => q with { Status = v },

        // Read by the detail view (3.25), not a filter.
        ["list_volume"] = (q, _) => q,
    };

    public static RouteGroupBuilder MapGroups(this RouteGroupBuilder v3)
    {
        var groups = v3.MapGroup("/groups");
        groups.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IGroupRepository repository) => ListAsync(http, projectId, repository, detail: false));
        groups.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IGroupRepository repository) => ListAsync(http, projectId, repository, detail: true));
        groups.MapGet("/{id}", ShowAsync);
        groups.MapPost("", CreateAsync);
        groups.MapPut("/{id}", UpdateAsync);
        groups.MapPost("/action", CreateFromSourceAsync);
        groups.MapPost("/{id}/action", ActionAsync);
        return v3;
    }

    private static IResult? Unavailable(HttpContext http, ApiVersion since) => GroupTypesEndpoints.Unavailable(http, since, "groups");

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, IGroupRepository repository, bool detail)
    {
        if ((Unavailable(http, Groups) ?? http.Deny(GroupPolicyRules.GetAll)) is { } refused)
        {
            return refused;
        }

        var (query, error) = ListParameters.Parse(http.Request.Query, ListParameters.ProjectScope(http, projectId), Filters, SortKeys);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var all = (await repository.ListAsync(query!.ProjectId, http.RequestAborted).ConfigureAwait(false))
            .Where(g => query.Name is null || g.Name == query.Name)
            .Where(g => query.Status is null || g.Status.ToWireName() == query.Status)
            .ToList();
        var (page, markerError) = GroupListing.Page(all, query, g => g.Id, (g, key) => key switch
        {
            "id" => g.Id,
            "status" => g.Status.ToWireName(),
            "availability_zone" => g.AvailabilityZone,
            "created_at" => GroupListing.Sortable(g.CreatedAt),
            _ => g.Name ?? string.Empty,
        });
        if (markerError is not null)
        {
            return Refusals.BadRequest(markerError);
        }

        var context = ViewContext.Of(http, projectId);
        var items = new List<Dictionary<string, object?>>();
        foreach (var group in page!)
        {
            items.Add(detail ? GroupView.Detail(group, context, await VolumeIdsAsync(http, context, group, repository).ConfigureAwait(false)) : GroupView.Summary(group));
        }

        var body = new Dictionary<string, object?> { ["groups"] = items };
        if (context.NextLinks(detail ? "groups/detail" : "groups", page!.Count, ListParameters.EffectiveLimit(query), page.Count > 0 ? page[^1].Id : null) is { } links)
        {
            body["group_links"] = links;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service, IGroupRepository repository)
    {
        if (Unavailable(http, Groups) is { } unavailable)
        {
            return unavailable;
        }

        var group = await service.FindAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        if (group is null)
        {
            return Refusals.NotFound($"Group {id} could not be found.");
        }

        if (http.Deny(GroupPolicyRules.Get, group.ProjectId) is { } denied)
        {
            return denied;
        }

        var context = ViewContext.Of(http, projectId);
        var view = GroupView.Detail(group, context, await VolumeIdsAsync(http, context, group, repository).ConfigureAwait(false));
        return Results.Json(new Dictionary<string, object?> { ["group"] = view });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, GroupService service)
    {
        if ((Unavailable(http, Groups) ?? http.Deny(GroupPolicyRules.Create)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "group_type", "volume_types", "availability_zone");
        fields.Require("group_type");
        fields.Require("volume_types");
        var name = fields.String("name");
        var description = fields.String("description");
        var groupType = fields.String("group_type", minLength: 1, nullable: false);
        var zone = fields.String("availability_zone");
        var volumeTypes = StringList(fields, body.Value.GetProperty("group"), "volume_types");
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var request = new GroupCreateRequest(groupType!, volumeTypes!, name?.Trim(), description?.Trim(), string.IsNullOrEmpty(zone) ? null : zone);
        var outcome = await service.CreateAsync(Caller.Of(http, projectId), request, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new Dictionary<string, object?> { ["group"] = GroupView.Summary(outcome.Value!) }, statusCode: StatusCodes.Status202Accepted)
            : Refusals.From(outcome);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service)
    {
        if (Unavailable(http, Groups) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "add_volumes", "remove_volumes");
        var request = new GroupUpdateRequest(
            fields.String("name")?.Trim(), fields.String("description")?.Trim(), fields.String("add_volumes", maxLength: int.MaxValue), fields.String("remove_volumes", maxLength: int.MaxValue));
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var caller = Caller.Of(http, projectId);
        var group = await service.FindAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
        if (group is null)
        {
            return Refusals.NotFound($"Group {id} could not be found.");
        }

        if (http.Deny(GroupPolicyRules.Update, group.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.UpdateAsync(caller, id, request, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static async Task<IResult> ActionAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, GroupService service)
    {
        if (Unavailable(http, Groups) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var caller = Caller.Of(http, projectId);
        if (body.Value.TryGetProperty("delete", out _))
        {
            var (fields, rootError) = BodyReader.Root(body.Value, "delete");
            if (rootError is not null)
            {
                return Refusals.BadRequest(rootError);
            }

            fields!.OnlyKnown("delete-volumes");
            var deleteVolumes = fields.Boolean("delete-volumes") ?? false;
            if (fields.Failed)
            {
                return Refusals.BadRequest(fields.Error!);
            }

            var group = await service.FindAsync(caller, id, http.RequestAborted).ConfigureAwait(false);
            if (group is null)
            {
                return Refusals.NotFound($"Group {id} could not be found.");
            }

            if (http.Deny(GroupPolicyRules.Delete, group.ProjectId) is { } denied)
            {
                return denied;
            }

            var outcome = await service.DeleteAsync(caller, id, deleteVolumes, http.RequestAborted).ConfigureAwait(false);
            return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
        }

        if (body.Value.TryGetProperty("reset_status", out _))
        {
            if ((Unavailable(http, ResetStatus) ?? http.Deny(GroupPolicyRules.ResetStatus)) is { } refused)
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

            var outcome = await service.ResetStatusAsync(caller, id, status!.ToLowerInvariant(), http.RequestAborted).ConfigureAwait(false);
            return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
        }

        var action = body.Value.EnumerateObject().Select(p => p.Name).FirstOrDefault() ?? "(none)";
        return Refusals.BadRequest($"There is no such action: {action}");
    }

    private static async Task<IResult> CreateFromSourceAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, GroupService service)
    {
        if ((Unavailable(http, FromSource) ?? http.Deny(GroupPolicyRules.Create)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "create-from-src");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "group_snapshot_id", "source_group_id");
        var request = new GroupFromSourceRequest(
            fields.Uuid("group_snapshot_id"), fields.Uuid("source_group_id"), fields.String("name")?.Trim(), fields.String("description")?.Trim());
        if (!fields.Failed && (request.GroupSnapshotId is null) == (request.SourceGroupId is null))
        {
            fields.Fail("Invalid input received: Either 'group_snapshot_id' or 'source_group_id' must be provided to create group from source, but not both.");
        }

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var outcome = await service.CreateFromSourceAsync(Caller.Of(http, projectId), request, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new Dictionary<string, object?> { ["group"] = GroupView.Summary(outcome.Value!) }, statusCode: StatusCodes.Status202Accepted)
            : Refusals.From(outcome);
    }

    /// <summary>The ids of the group's volumes when the request asks for them (<c>list_volume=true</c>, 3.25+); null otherwise.</summary>
    private static async Task<IReadOnlyList<string>?> VolumeIdsAsync(HttpContext http, ViewContext context, Group group, IGroupRepository repository)
    {
        if (context.Version < GroupView.VolumeList
            || !http.Request.Query.TryGetValue("list_volume", out var text)
            || !BooleanText.TryParse(text.ToString(), out var wanted)
            || !wanted)
        {
            return null;
        }

        return [.. (await repository.ListVolumesAsync(group.Id, http.RequestAborted).ConfigureAwait(false)).Select(v => v.Id)];
    }

    /// <summary>A required non-empty array of strings (Cinder's <c>volume_types</c>); null with the error recorded otherwise.</summary>
    private static List<string>? StringList(BodyReader fields, JsonElement parent, string name)
    {
        if (fields.Failed || !parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            fields.Fail(BodyReader.Invalid(name, element, "give a non-empty list of volume type ids or names."));
            return null;
        }

        var items = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()) || item.GetString()!.Length > BodyReader.MaxStringLength)
            {
                fields.Fail(BodyReader.Invalid(name, element, $"{item.GetRawText()} is not a volume type id or name."));
                return null;
            }

            items.Add(item.GetString()!);
        }

        return items;
    }
}
