using Kiln.Server.Configuration;
using Kiln.Server.Groups;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/group_types</c> (3.11+): group types as Cinder's <c>group_types.py</c> serves
/// them — administrators create, update and delete; everyone lists and shows the public ones. Group
/// specs are <see cref="GroupSpecsEndpoints"/>.
/// </summary>
internal static class GroupTypesEndpoints
{
    /// <summary>The first microversion with group types; below it the routes do not exist, as in Cinder.</summary>
    public static ApiVersion GroupTypes { get; } = new(3, 11);

    private static readonly string[] SortKeys = ["id", "name", "description", "is_public", "created_at"];

    private static readonly Dictionary<string, Func<Core.Volumes.ListQuery, string, Core.Volumes.ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["is_public"] = (q, _) => q,
        ["name"] = (q, v) => q with { Name = v },
    };

    public static RouteGroupBuilder MapGroupTypes(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/group_types");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGroupSpecs();
        return v3;
    }

    /// <summary>404 below 3.11, as Cinder answers a route its microversion does not have.</summary>
    public static IResult? Unavailable(HttpContext http, ApiVersion since, string what) =>
        MicroversionFilter.Of(http) < since ? Refusals.NotFound($"The resource could not be found: {what} need microversion {since.Major}.{since.Minor} or later.") : null;

    /// <summary>The group type <paramref name="id"/>, or Cinder's 404; a private type only for administrators.</summary>
    public static async Task<(GroupType? Type, IResult? NotFound)> FindAsync(string id, IGroupRepository groups, HttpContext http)
    {
        var type = await groups.FindTypeAsync(id, http.RequestAborted).ConfigureAwait(false);
        return type is null || (!type.IsPublic && !RequestContext.Of(http).IsAdmin)
            ? (null, Refusals.NotFound($"Group type with id {id} could not be found."))
            : (type, null);
    }

    public static Dictionary<string, object?> View(GroupType type, ViewContext context)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = type.Id,
            ["name"] = type.Name,
            ["description"] = type.Description,
            ["is_public"] = type.IsPublic,
        };
        if (context.May(GroupPolicyRules.TypeAccessSpecs))
        {
            view["group_specs"] = type.GroupSpecs;
        }

        return view;
    }

    private static IResult Json(GroupType type, HttpContext http, int status = StatusCodes.Status200OK) =>
        Results.Json(new Dictionary<string, object?> { ["group_type"] = View(type, ViewContext.Of(http)) }, statusCode: status);

    private static async Task<IResult> ListAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, IGroupRepository groups)
    {
        if (Unavailable(http, GroupTypes, "group types") is { } unavailable)
        {
            return unavailable;
        }

        var (query, error) = ListParameters.Parse(http.Request.Query, projectId, Filters, SortKeys);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        // Like Cinder: an administrator chooses with is_public ("none": both); everyone else sees public types.
        bool? isPublic = true;
        if (RequestContext.Of(http).IsAdmin && http.Request.Query.TryGetValue("is_public", out var text))
        {
            if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
            {
                isPublic = null;
            }
            else if (BooleanText.TryParse(text, out var parsed))
            {
                isPublic = parsed;
            }
            else
            {
                return Refusals.BadRequest($"Invalid is_public filter [{text}]");
            }
        }

        var all = (await groups.ListTypesAsync(http.RequestAborted).ConfigureAwait(false))
            .Where(t => isPublic is null || t.IsPublic == isPublic)
            .Where(t => query!.Name is null || t.Name == query.Name)
            .Reverse()
            .ToList();
        var (page, markerError) = GroupListing.Page(all, query!, t => t.Id, (t, key) => key switch
        {
            "id" => t.Id,
            "description" => t.Description ?? string.Empty,
            "is_public" => t.IsPublic ? "1" : "0",
            _ => t.Name,
        });
        if (markerError is not null)
        {
            return Refusals.BadRequest(markerError);
        }

        var context = ViewContext.Of(http, projectId);
        var body = new Dictionary<string, object?> { ["group_types"] = page!.Select(t => View(t, context)).ToList() };
        if (context.NextLinks("group_types", page!.Count, ListParameters.EffectiveLimit(query!), page.Count > 0 ? page[^1].Id : null) is { } links)
        {
            body["group_type_links"] = links;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext http, IGroupRepository groups, KilnConfiguration configuration)
    {
        if (Unavailable(http, GroupTypes, "group types") is { } unavailable)
        {
            return unavailable;
        }

        if (id == "default")
        {
            // Cinder's default_group_type names a type; unset (its default) or naming no type, there is none.
            var fallback = configuration.DefaultGroupType is { } name ? await groups.FindTypeAsync(name, http.RequestAborted).ConfigureAwait(false) : null;
            return fallback is null ? Refusals.NotFound("Default group type can not be found.") : Json(fallback, http);
        }

        var (type, notFound) = await FindAsync(id, groups, http).ConfigureAwait(false);
        return notFound ?? Json(type!, http);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IGroupRepository groups)
    {
        if ((Unavailable(http, GroupTypes, "group types") ?? http.Deny(GroupPolicyRules.TypeCreate)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group_type");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "group_specs", "is_public");
        fields.Require("name");
        var name = fields.String("name", minLength: 1, nullable: false);
        var description = fields.String("description");
        var specs = fields.ExtraSpecs("group_specs");
        var isPublic = fields.Boolean("is_public") ?? true;
        if (!fields.Failed && string.IsNullOrWhiteSpace(name))
        {
            fields.Fail("The 'name' can not be empty.");
        }

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var type = new GroupType
        {
            Id = Guid.NewGuid().ToString(),
            Name = name!.Trim(),
            Description = description,
            IsPublic = isPublic,
            GroupSpecs = specs ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        if (!await groups.TryAddTypeAsync(type, http.RequestAborted).ConfigureAwait(false))
        {
            return Refusals.Conflict($"Group Type {type.Name} already exists.");
        }

        return Json(await groups.FindTypeAsync(type.Id, http.RequestAborted).ConfigureAwait(false) ?? type, http, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IGroupRepository groups)
    {
        if ((Unavailable(http, GroupTypes, "group types") ?? http.Deny(GroupPolicyRules.TypeUpdate)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group_type");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "is_public");
        var name = fields.String("name");
        var description = fields.String("description");
        var isPublic = fields.Boolean("is_public");
        if (!fields.Failed && name is not null && name.Trim().Length == 0)
        {
            fields.Fail("Group type name can not be empty.");
        }

        if (!fields.Failed && name is null && description is null && isPublic is null)
        {
            fields.Fail("Specify group type name, description or a combination thereof.");
        }

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var (type, notFound) = await FindAsync(id, groups, http).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var updated = await groups.UpdateTypeAsync(type!.Id, name?.Trim(), description, isPublic, http.RequestAborted).ConfigureAwait(false);
        return updated is not null
            ? Json(updated, http)
            : name is null ? Refusals.NotFound($"Group type with id {id} could not be found.") : Refusals.Conflict($"Group Type {name} already exists.");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IGroupRepository groups)
    {
        if ((Unavailable(http, GroupTypes, "group types") ?? http.Deny(GroupPolicyRules.TypeDelete)) is { } refused)
        {
            return refused;
        }

        var (type, notFound) = await FindAsync(id, groups, http).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        return await groups.RemoveTypeAsync(type!.Id, http.RequestAborted).ConfigureAwait(false) switch
        {
            Core.Volumes.TypeWriteOutcome.Done => Results.StatusCode(StatusCodes.Status202Accepted),
            Core.Volumes.TypeWriteOutcome.InUse => Refusals.BadRequest("Target group type is still in use."),
            _ => Refusals.NotFound($"Group type with id {id} could not be found."),
        };
    }
}
