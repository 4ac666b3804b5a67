using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/types</c>: show, create, update and delete volume types. The list is <see cref="TypeList"/>, extra specs are <see cref="ExtraSpecsEndpoints"/>.</summary>
internal static class TypesEndpoints
{

    public static RouteGroupBuilder MapTypes(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/types");
        group.MapGet("", TypeList.ListAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapExtraSpecs();
        group.MapTypeAccess();
        group.MapTypeEncryption();
        return v3;
    }

    /// <summary>The type named by <paramref name="id"/> (an id, a name, or <c>default</c>), or Cinder's 404.</summary>
    public static async Task<(VolumeType? Type, IResult? NotFound)> FindAsync(
        string id, IVolumeTypeRepository types, KilnConfiguration configuration, CancellationToken cancellationToken)
    {
        var lookup = id == "default" ? DefaultTypeName(configuration) : id;
        var type = await types.FindAsync(lookup, cancellationToken).ConfigureAwait(false);
        return type is null ? (null, Refusals.NotFound($"Volume type {id} could not be found.")) : (type, null);
    }

    /// <summary>The type a volume gets when its request names none.</summary>
    public static string DefaultTypeName(KilnConfiguration configuration) => configuration.DefaultVolumeType ?? VolumeType.DefaultName;

    private static async Task<IResult> ShowAsync(
        string id, IVolumeTypeRepository types, KilnConfiguration configuration, TypeAccessStore access, IProjectTypes projectTypes, HttpContext http)
    {
        if (http.Deny(CinderPolicyRules.TypeGet) is { } denied)
        {
            return denied;
        }

        // "default" is the type the caller's creates get: its project's default (3.62) first, as Cinder's get_default_volume_type.
        var caller = RequestContext.Of(http);
        var lookup = id == "default" ? await projectTypes.DefaultTypeIdAsync(caller.ProjectId, http.RequestAborted).ConfigureAwait(false) ?? id : id;
        var (type, notFound) = await FindAsync(lookup, types, configuration, http.RequestAborted).ConfigureAwait(false);

        // A private type is invisible to everyone but administrators and the projects given access to it.
        if (notFound is null && !type!.IsPublic && !caller.IsAdmin
            && !await access.HasAccessAsync(type.Id, caller.ProjectId, http.RequestAborted).ConfigureAwait(false))
        {
            return Refusals.NotFound($"Volume type {id} could not be found.");
        }

        return notFound ?? TypeView.Json(type!, ViewContext.Of(http));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IVolumeTypeRepository types)
    {
        if (http.Deny(CinderPolicyRules.TypeCreate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "volume_type");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "extra_specs", "os-volume-type-access:is_public");
        fields.Require("name");
        var name = fields.String("name", nullable: false);
        var description = fields.String("description");
        var specs = fields.ExtraSpecs("extra_specs");
        var isPublic = fields.Boolean("os-volume-type-access:is_public") ?? true;
        if (!fields.Failed && string.IsNullOrWhiteSpace(name))
        {
            fields.Fail("The 'name' can not be empty.");
        }

        CheckPrintable(fields, name, description);

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var type = new VolumeType
        {
            Id = Guid.NewGuid().ToString(),
            Name = name!,
            Description = description,
            IsPublic = isPublic,
            ExtraSpecs = specs ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        if (!await types.TryAddAsync(type, http.RequestAborted).ConfigureAwait(false))
        {
            return Refusals.Conflict($"Volume Type {name} already exists.");
        }

        var stored = await types.FindAsync(type.Id, http.RequestAborted).ConfigureAwait(false);
        return TypeView.Json(stored ?? type, ViewContext.Of(http), TypeView.Shape.Create);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration)
    {
        if (http.Deny(CinderPolicyRules.TypeUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "volume_type");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.OnlyKnown("name", "description", "is_public");
        var name = fields.String("name", minLength: 1);
        var description = fields.String("description");
        var isPublic = fields.Boolean("is_public");
        if (!fields.Failed && name is not null && string.IsNullOrWhiteSpace(name))
        {
            fields.Fail("Volume type name can not be empty.");
        }

        CheckPrintable(fields, name, description);

        if (!fields.Failed && name is null && description is null && isPublic is null)
        {
            fields.Fail("Specify volume type name, description, is_public or a combination thereof.");
        }

        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var (type, notFound) = await FindAsync(id, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var updated = await types.UpdateAsync(type!.Id, name, description, isPublic, http.RequestAborted).ConfigureAwait(false);
        if (updated is not null)
        {
            return TypeView.Json(updated, ViewContext.Of(http), TypeView.Shape.Update);
        }

        // The repository answers null for a taken name or a type deleted meanwhile.
        return name is null ? Refusals.NotFound($"Volume type {id} could not be found.") : Refusals.Conflict($"Volume Type {name} already exists.");
    }

    /// <summary>Refuses control and other non-printable characters in a type's name and description, as Cinder's description pattern does.</summary>
    private static void CheckPrintable(BodyReader fields, string? name, string? description)
    {
        if (!fields.Failed && (PrintableText.Check("name", name ?? string.Empty) ?? PrintableText.Check("description", description ?? string.Empty)) is { } error)
        {
            fields.Fail(error);
        }
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, DefaultTypeStore defaults)
    {
        if (http.Deny(CinderPolicyRules.TypeDelete) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await FindAsync(id, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        // Volumes created without a type get the default one, so it must always exist.
        if (type!.Name == VolumeType.DefaultName || type.Name == DefaultTypeName(configuration)
            || await defaults.IsDefaultOfAnyAsync(type.Id, http.RequestAborted).ConfigureAwait(false))
        {
            return Refusals.BadRequest($"The volume type {type.Id} is a default volume type and cannot be deleted.");
        }

        // In use or not is decided with the removal, atomically against creates that name the type.
        return await types.RemoveAsync(type.Id, http.RequestAborted).ConfigureAwait(false) switch
        {
            TypeWriteOutcome.Done => Results.StatusCode(StatusCodes.Status202Accepted),
            TypeWriteOutcome.InUse => Refusals.BadRequest("Target volume type is still in use."),
            _ => Refusals.NotFound($"Volume type {id} could not be found."),
        };
    }
}
