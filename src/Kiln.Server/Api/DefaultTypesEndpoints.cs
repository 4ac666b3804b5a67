using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/default-types</c> (3.62): a project's default volume type, used when a create
/// names no type (before <c>default_volume_type</c>). Set, show and unset one project's; list all (admin).
/// </summary>
internal static class DefaultTypesEndpoints
{
    /// <summary>The first microversion with default types; below it the routes do not exist, as in Cinder.</summary>
    public static ApiVersion DefaultTypes { get; } = new(3, 62);

    public static RouteGroupBuilder MapDefaultTypes(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/default-types");
        group.MapGet("", ListAsync);
        group.MapGet("/{target}", ShowAsync);
        group.MapPut("/{target}", SetAsync);
        group.MapDelete("/{target}", UnsetAsync);
        return v3;
    }

    private static async Task<IResult> SetAsync(string target, HttpContext http, IVolumeTypeRepository types, DefaultTypeStore store, ILogger<DefaultTypeStore> logger)
    {
        if ((Unavailable(http) ?? http.Deny(CinderPolicyRules.DefaultTypeSet, target)) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "default_type");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("volume_type");
        fields.Require("volume_type");
        var name = fields.String("volume_type", minLength: 1, nullable: false);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        // Cinder answers 400, not 404, for a type that does not exist: it is a field of the body.
        var type = await types.FindAsync(name!, http.RequestAborted).ConfigureAwait(false);
        var set = type is null ? null : await store.SetAsync(target, type.Id, http.RequestAborted).ConfigureAwait(false);
        if (set is null)
        {
            return Refusals.BadRequest($"Volume type {name} could not be found.");
        }

        TypeExtrasLog.DefaultTypeChanged(logger, target, "set to", set.VolumeTypeId);
        return Results.Json(new Dictionary<string, object?> { ["default_type"] = View(set) });
    }

    private static async Task<IResult> ShowAsync(string target, HttpContext http, DefaultTypeStore store)
    {
        if ((Unavailable(http) ?? http.Deny(CinderPolicyRules.DefaultTypeGet, target)) is { } refused)
        {
            return refused;
        }

        var found = await store.FindAsync(target, http.RequestAborted).ConfigureAwait(false);
        return found is null
            ? Refusals.NotFound($"Default type for project {target} not found.")
            : Results.Json(new Dictionary<string, object?> { ["default_type"] = View(found) });
    }

    private static async Task<IResult> ListAsync(HttpContext http, DefaultTypeStore store)
    {
        if ((Unavailable(http) ?? http.Deny(CinderPolicyRules.DefaultTypeGetAll)) is { } refused)
        {
            return refused;
        }

        var all = await store.ListAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object?> { ["default_types"] = all.Select(View).ToList() });
    }

    private static async Task<IResult> UnsetAsync(string target, HttpContext http, DefaultTypeStore store, ILogger<DefaultTypeStore> logger)
    {
        if ((Unavailable(http) ?? http.Deny(CinderPolicyRules.DefaultTypeUnset, target)) is { } refused)
        {
            return refused;
        }

        await store.UnsetAsync(target, http.RequestAborted).ConfigureAwait(false);
        TypeExtrasLog.DefaultTypeChanged(logger, target, "unset", null);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static Dictionary<string, string> View(ProjectDefaultType type) => new() { ["project_id"] = type.ProjectId, ["volume_type_id"] = type.VolumeTypeId };

    private static IResult? Unavailable(HttpContext http) =>
        MicroversionFilter.Of(http) < DefaultTypes ? Refusals.NotFound("The resource could not be found: default types need microversion 3.62 or later.") : null;
}
