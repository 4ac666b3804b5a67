using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// Cinder's volume type access extension: <c>GET /types/{id}/os-volume-type-access</c> lists the
/// projects that may use a private type; <c>POST /types/{id}/action</c> with <c>addProjectAccess</c> or
/// <c>removeProjectAccess</c> changes them (admin by default).
/// </summary>
internal static class TypeAccessEndpoints
{
    private const string Add = "addProjectAccess";
    private const string Remove = "removeProjectAccess";

    public static RouteGroupBuilder MapTypeAccess(this RouteGroupBuilder types)
    {
        types.MapGet("/{type_id}/os-volume-type-access", ListAsync);
        types.MapPost("/{type_id}/action", ActAsync);
        return types;
    }

    private static async Task<IResult> ListAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, TypeAccessStore access)
    {
        if (http.Deny(CinderPolicyRules.TypeAccessGetAllForType) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        if (type!.IsPublic)
        {
            return Refusals.NotFound("Access list not available for public volume types.");
        }

        var projects = await access.ProjectsAsync(type.Id, http.RequestAborted).ConfigureAwait(false);
        var items = projects.Select(p => new Dictionary<string, string> { ["volume_type_id"] = type.Id, ["project_id"] = p }).ToList();
        return Results.Json(new Dictionary<string, object?> { ["volume_type_access"] = items });
    }

    private static async Task<IResult> ActAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, TypeAccessStore access,
        ILogger<TypeAccessStore> logger)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var actions = body.Value.EnumerateObject().Select(p => p.Name).ToList();
        if (actions.Count != 1 || actions[0] is not (Add or Remove))
        {
            return Refusals.BadRequest($"There is no such action: {string.Join(", ", actions)}. Volume types support {Add} and {Remove}.");
        }

        var action = actions[0];
        if (http.Deny(action == Add ? CinderPolicyRules.TypeAccessAddProject : CinderPolicyRules.TypeAccessRemoveProject) is { } denied)
        {
            return denied;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, action);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("project");
        fields.Require("project");
        var project = fields.String("project", minLength: 1, nullable: false);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var outcome = action == Add
            ? await access.AddAsync(type!.Id, project!, http.RequestAborted).ConfigureAwait(false)
            : await access.RemoveAsync(type!.Id, project!, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case TypeAccessOutcome.Done:
                TypeExtrasLog.AccessChanged(logger, type.Id, action == Add ? "given" : "removed", project!);
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case TypeAccessOutcome.PublicType:
                return Refusals.BadRequest("Invalid volume type: Type access modification is not applicable to public volume type.");
            case TypeAccessOutcome.Exists:
                return Refusals.Conflict($"Volume type access for {type.Id} / {project} combination already exists.");
            case TypeAccessOutcome.NotFound:
                return Refusals.NotFound($"Volume type access not found for {type.Id} / {project} combination.");
            default:
                return Refusals.NotFound($"Volume type {typeId} could not be found.");
        }
    }
}
