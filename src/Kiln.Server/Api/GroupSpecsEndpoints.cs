using Kiln.Server.Groups;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/group_types/{id}/group_specs</c> (3.11+, administrators): Cinder's <c>group_specs.py</c>.</summary>
internal static class GroupSpecsEndpoints
{
    public static RouteGroupBuilder MapGroupSpecs(this RouteGroupBuilder groupTypes)
    {
        var specs = groupTypes.MapGroup("/{type_id}/group_specs");
        specs.MapGet("", ListAsync);
        specs.MapPost("", CreateAsync);
        specs.MapGet("/{key}", ShowAsync);
        specs.MapPut("/{key}", UpdateAsync);
        specs.MapDelete("/{key}", DeleteAsync);
        return groupTypes;
    }

    private static async Task<IResult> ListAsync([FromRoute(Name = "type_id")] string typeId, HttpContext http, IGroupRepository groups)
    {
        if ((GroupTypesEndpoints.Unavailable(http, GroupTypesEndpoints.GroupTypes, "group specs") ?? http.Deny(GroupPolicyRules.SpecsGetAll)) is { } refused)
        {
            return refused;
        }

        var (type, notFound) = await GroupTypesEndpoints.FindAsync(typeId, groups, http).ConfigureAwait(false);
        return notFound ?? Results.Json(new Dictionary<string, object?> { ["group_specs"] = type!.GroupSpecs });
    }

    private static async Task<IResult> ShowAsync([FromRoute(Name = "type_id")] string typeId, string key, HttpContext http, IGroupRepository groups)
    {
        if ((GroupTypesEndpoints.Unavailable(http, GroupTypesEndpoints.GroupTypes, "group specs") ?? http.Deny(GroupPolicyRules.SpecsGet)) is { } refused)
        {
            return refused;
        }

        var (type, notFound) = await GroupTypesEndpoints.FindAsync(typeId, groups, http).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        return type!.GroupSpecs.TryGetValue(key, out var value)
            ? Results.Json(new Dictionary<string, string> { [key] = value })
            : Refusals.NotFound($"Group Type {typeId} has no extra spec with key {key}.");
    }

    private static async Task<IResult> CreateAsync([FromRoute(Name = "type_id")] string typeId, HttpContext http, IGroupRepository groups)
    {
        if ((GroupTypesEndpoints.Unavailable(http, GroupTypesEndpoints.GroupTypes, "group specs") ?? http.Deny(GroupPolicyRules.SpecsCreate)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "group_specs");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var specs = fields!.ReadMap(body.Value.GetProperty("group_specs"), "group_specs", MapKeys.ExtraSpecs);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        return await WriteAsync(typeId, specs!, http, groups, StatusCodes.Status202Accepted, s => new Dictionary<string, object?> { ["group_specs"] = s }).ConfigureAwait(false);
    }

    private static async Task<IResult> UpdateAsync([FromRoute(Name = "type_id")] string typeId, string key, HttpContext http, IGroupRepository groups)
    {
        if ((GroupTypesEndpoints.Unavailable(http, GroupTypesEndpoints.GroupTypes, "group specs") ?? http.Deny(GroupPolicyRules.SpecsUpdate)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var reader = new BodyReader(body.Value, "group_specs");
        var specs = reader.ReadMap(body.Value, "group_specs", MapKeys.ExtraSpecs);
        if (reader.Failed)
        {
            return Refusals.BadRequest(reader.Error!);
        }

        if (!specs!.ContainsKey(key))
        {
            return Refusals.BadRequest("Request body and URI mismatch");
        }

        return await WriteAsync(typeId, specs, http, groups, StatusCodes.Status200OK, s => s.ToDictionary(p => p.Key, p => (object?)p.Value)).ConfigureAwait(false);
    }

    private static async Task<IResult> DeleteAsync([FromRoute(Name = "type_id")] string typeId, string key, HttpContext http, IGroupRepository groups)
    {
        if ((GroupTypesEndpoints.Unavailable(http, GroupTypesEndpoints.GroupTypes, "group specs") ?? http.Deny(GroupPolicyRules.SpecsDelete)) is { } refused)
        {
            return refused;
        }

        var (type, notFound) = await GroupTypesEndpoints.FindAsync(typeId, groups, http).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        return await groups.UnsetSpecAsync(type!.Id, key, http.RequestAborted).ConfigureAwait(false) == Core.Volumes.TypeWriteOutcome.Done
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : Refusals.NotFound($"Group Type {typeId} has no extra spec with key {key}.");
    }

    private static async Task<IResult> WriteAsync(
        string typeId, Dictionary<string, string> specs, HttpContext http, IGroupRepository groups, int status, Func<Dictionary<string, string>, Dictionary<string, object?>> answer)
    {
        var (type, notFound) = await GroupTypesEndpoints.FindAsync(typeId, groups, http).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        return await groups.SetSpecsAsync(type!.Id, specs, http.RequestAborted).ConfigureAwait(false)
            ? Results.Json(answer(specs), statusCode: status)
            : Refusals.NotFound($"Group type with id {typeId} could not be found.");
    }
}
