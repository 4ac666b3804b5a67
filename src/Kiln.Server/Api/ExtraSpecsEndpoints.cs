using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/types/{id}/extra_specs</c>. Like Cinder, specs of a type that volumes use
/// cannot change (400): the scheduler placed those volumes by the specs they had.
/// </summary>
internal static class ExtraSpecsEndpoints
{
    private const string InUse = "Volume Type is currently in use.";

    public static RouteGroupBuilder MapExtraSpecs(this RouteGroupBuilder types)
    {
        var group = types.MapGroup("/{type_id}/extra_specs");
        group.MapGet("", ListAsync);
        group.MapPost("", SetAsync);
        group.MapGet("/{key}", ShowAsync);
        group.MapPut("/{key}", UpdateAsync);
        group.MapDelete("/{key}", DeleteAsync);
        return types;
    }

    private static async Task<IResult> ListAsync([FromRoute(Name = "type_id")] string typeId, IVolumeTypeRepository types, KilnConfiguration configuration, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.ExtraSpecsIndex) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        return notFound ?? Results.Json(new Dictionary<string, object?> { ["extra_specs"] = type!.ExtraSpecs });
    }

    private static async Task<IResult> ShowAsync([FromRoute(Name = "type_id")] string typeId, string key, IVolumeTypeRepository types, KilnConfiguration configuration, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.ExtraSpecsShow) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        return type!.ExtraSpecs.TryGetValue(key, out var value)
            ? Results.Json(new Dictionary<string, string> { [key] = value })
            : Refusals.NotFound($"Volume Type {typeId} has no extra specs with key {key}.");
    }

    private static async Task<IResult> SetAsync(
        [FromRoute(Name = "type_id")] string typeId, IVolumeTypeRepository types, IVolumeRepository volumes, KilnConfiguration configuration, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.ExtraSpecsCreate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "extra_specs");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var specs = fields!.ReadMap(body.Value.GetProperty("extra_specs"), "extra_specs", MapKeys.ExtraSpecs);
        return fields.Failed
            ? Refusals.BadRequest(fields.Error!)
            : await WriteAsync(typeId, specs!, types, volumes, configuration, http, specs => new Dictionary<string, object?> { ["extra_specs"] = specs }).ConfigureAwait(false);
    }

    private static async Task<IResult> UpdateAsync(
        [FromRoute(Name = "type_id")] string typeId, string key, IVolumeTypeRepository types, IVolumeRepository volumes, KilnConfiguration configuration, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.ExtraSpecsUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var reader = new BodyReader(body.Value, "extra_specs");
        var specs = reader.ReadMap(body.Value, "extra_specs", MapKeys.ExtraSpecs);
        if (reader.Failed)
        {
            return Refusals.BadRequest(reader.Error!);
        }

        if (specs!.Count != 1)
        {
            return Refusals.BadRequest($"The body must set exactly one extra spec, as {{\"{key}\": \"value\"}}; it sets {specs.Count}.");
        }

        return !specs.ContainsKey(key)
            ? Refusals.BadRequest("Request body and URI mismatch")
            : await WriteAsync(typeId, specs, types, volumes, configuration, http, specs => specs.ToDictionary(p => p.Key, p => (object?)p.Value)).ConfigureAwait(false);
    }

    private static async Task<IResult> DeleteAsync(
        [FromRoute(Name = "type_id")] string typeId, string key, IVolumeTypeRepository types, IVolumeRepository volumes, KilnConfiguration configuration, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.ExtraSpecsDelete) is { } denied)
        {
            return denied;
        }

        var (type, refused) = await WritableAsync(typeId, types, volumes, configuration, http.RequestAborted).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        return await types.UnsetExtraSpecAsync(type!.Id, key, http.RequestAborted).ConfigureAwait(false) switch
        {
            TypeWriteOutcome.Done => Results.StatusCode(StatusCodes.Status202Accepted),
            TypeWriteOutcome.InUse => Refusals.BadRequest(InUse),
            _ => Refusals.NotFound($"Volume Type {typeId} has no extra specs with key {key}."),
        };
    }

    private static async Task<IResult> WriteAsync(
        string typeId,
        Dictionary<string, string> specs,
        IVolumeTypeRepository types,
        IVolumeRepository volumes,
        KilnConfiguration configuration,
        HttpContext http,
        Func<Dictionary<string, string>, Dictionary<string, object?>> answer)
    {
        var (type, refused) = await WritableAsync(typeId, types, volumes, configuration, http.RequestAborted).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        // The in-use check above answers early; the repository decides again, atomically against creates.
        return (await types.SetExtraSpecsAsync(type!.Id, specs, http.RequestAborted).ConfigureAwait(false)).Outcome switch
        {
            TypeWriteOutcome.Done => Results.Json(answer(specs)),
            TypeWriteOutcome.InUse => Refusals.BadRequest(InUse),
            _ => Refusals.NotFound($"Volume type {typeId} could not be found."),
        };
    }

    /// <summary>The type, unless it does not exist (404) or volumes use it (400, Cinder's wording).</summary>
    private static async Task<(VolumeType? Type, IResult? Refused)> WritableAsync(
        string typeId, IVolumeTypeRepository types, IVolumeRepository volumes, KilnConfiguration configuration, CancellationToken cancellationToken)
    {
        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, cancellationToken).ConfigureAwait(false);
        if (notFound is not null)
        {
            return (null, notFound);
        }

        return await volumes.CountByTypeAsync(type!.Id, cancellationToken).ConfigureAwait(false) > 0
            ? (null, Refusals.BadRequest(InUse))
            : (type, null);
    }

}
