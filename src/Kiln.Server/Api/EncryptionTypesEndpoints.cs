using System.Globalization;
using System.Text.Json;
using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/types/{type_id}/encryption</c>: Cinder's volume type encryption extension (admin
/// by default). Stored and shown with Cinder's keys; refused while a volume of the type exists.
/// </summary>
internal static class EncryptionTypesEndpoints
{
    private static readonly string[] ControlLocations = ["front-end", "back-end"];

    public static RouteGroupBuilder MapTypeEncryption(this RouteGroupBuilder types)
    {
        var group = types.MapGroup("/{type_id}/encryption");
        group.MapGet("", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{key}", ShowKeyAsync);
        group.MapPut("/{key}", UpdateAsync);
        group.MapDelete("/{key}", DeleteAsync);
        return types;
    }

    /// <summary>The whole row, or <c>{}</c> for an unencrypted type, as Cinder's index answers.</summary>
    private static async Task<IResult> ShowAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, EncryptionStore store)
    {
        if (http.Deny(CinderPolicyRules.EncryptionGet) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var encryption = await store.FindAsync(type!.Id, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(encryption is null ? new Dictionary<string, object?>() : Row(encryption));
    }

    private static async Task<IResult> ShowKeyAsync(
        [FromRoute(Name = "type_id")] string typeId, string key, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, EncryptionStore store)
    {
        if (http.Deny(CinderPolicyRules.EncryptionGet) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var encryption = await store.FindAsync(type!.Id, http.RequestAborted).ConfigureAwait(false);
        return encryption is not null && Row(encryption).TryGetValue(key, out var value)
            ? Results.Json(new Dictionary<string, object?> { [key] = value })
            : EncryptionNotFound(typeId);
    }

    private static async Task<IResult> CreateAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, EncryptionStore store,
        ILogger<EncryptionStore> logger)
    {
        if (http.Deny(CinderPolicyRules.EncryptionCreate) is { } denied)
        {
            return denied;
        }

        var (fields, error) = await ReadAsync(http, create: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        var (outcome, created) = await store.CreateAsync(type!.Id, fields!, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case EncryptionOutcome.Done:
                TypeExtrasLog.EncryptionChanged(logger, type.Id, "created");
                var view = Row(created!);
                return Results.Json(new Dictionary<string, object?>
                {
                    ["encryption"] = new Dictionary<string, object?>
                    {
                        ["volume_type_id"] = view["volume_type_id"],
                        ["encryption_id"] = view["encryption_id"],
                        ["provider"] = view["provider"],
                        ["control_location"] = view["control_location"],
                        ["cipher"] = view["cipher"],
                        ["key_size"] = view["key_size"],
                    },
                });
            case EncryptionOutcome.InUse:
                return Refusals.BadRequest("Cannot create encryption specs. Volume type in use.");
            case EncryptionOutcome.Exists:
                return Refusals.BadRequest($"Volume type encryption for type {type.Id} already exists.");
            default:
                return Refusals.NotFound($"Volume type {typeId} could not be found.");
        }
    }

    private static async Task<IResult> UpdateAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, EncryptionStore store,
        ILogger<EncryptionStore> logger)
    {
        if (http.Deny(CinderPolicyRules.EncryptionUpdate) is { } denied)
        {
            return denied;
        }

        var (fields, error) = await ReadAsync(http, create: false).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return notFound;
        }

        switch (await store.UpdateAsync(type!.Id, fields!, http.RequestAborted).ConfigureAwait(false))
        {
            case EncryptionOutcome.Done:
                TypeExtrasLog.EncryptionChanged(logger, type.Id, "updated");

                // Cinder answers with the fields it was given.
                var echo = new Dictionary<string, object?>();
                if (fields!.Provider is { } provider)
                {
                    echo["provider"] = provider;
                }

                if (fields.ControlLocation is { } location)
                {
                    echo["control_location"] = location;
                }

                if (fields.HasCipher)
                {
                    echo["cipher"] = fields.Cipher;
                }

                if (fields.HasKeySize)
                {
                    echo["key_size"] = fields.KeySize;
                }

                return Results.Json(new Dictionary<string, object?> { ["encryption"] = echo });
            case EncryptionOutcome.InUse:
                return Refusals.BadRequest("Cannot update encryption specs. Volume type in use.");
            case EncryptionOutcome.NotFound:
                return EncryptionNotFound(type.Id);
            default:
                return Refusals.NotFound($"Volume type {typeId} could not be found.");
        }
    }

    private static async Task<IResult> DeleteAsync(
        [FromRoute(Name = "type_id")] string typeId, HttpContext http, IVolumeTypeRepository types, KilnConfiguration configuration, EncryptionStore store,
        ILogger<EncryptionStore> logger)
    {
        if (http.Deny(CinderPolicyRules.EncryptionDelete) is { } denied)
        {
            return denied;
        }

        var (type, notFound) = await TypesEndpoints.FindAsync(typeId, types, configuration, http.RequestAborted).ConfigureAwait(false);
        if (notFound is not null)
        {
            return EncryptionNotFound(typeId);
        }

        switch (await store.DeleteAsync(type!.Id, http.RequestAborted).ConfigureAwait(false))
        {
            case EncryptionOutcome.Done:
                TypeExtrasLog.EncryptionChanged(logger, type.Id, "deleted");
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case EncryptionOutcome.InUse:
                return Refusals.BadRequest("Cannot delete encryption specs. Volume type in use.");
            default:
                return EncryptionNotFound(type.Id);
        }
    }

    /// <summary>
    /// Reads <c>{"encryption": {…}}</c> as Cinder's schema: <c>provider</c> (string) and
    /// <c>control_location</c> (front-end or back-end) required on create, <c>cipher</c> a string or null,
    /// <c>key_size</c> a non-negative integer (or its digits) or null; other keys are ignored.
    /// </summary>
    private static async Task<(EncryptionFields? Fields, IResult? Error)> ReadAsync(HttpContext http, bool create)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return (null, malformed);
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "encryption");
        if (rootError is not null)
        {
            return (null, Refusals.BadRequest(rootError));
        }

        if (create)
        {
            fields!.Require("provider");
            fields.Require("control_location");
        }

        var provider = fields!.String("provider", nullable: false);
        var location = fields.String("control_location", nullable: false);
        var cipher = fields.String("cipher");
        if (!fields.Failed && location is not null && !ControlLocations.Contains(location, StringComparer.Ordinal))
        {
            fields.Fail($"Invalid input for field/attribute control_location. Value: {location}. '{location}' is not one of ['front-end', 'back-end']");
        }

        var element = body.Value.GetProperty("encryption");
        int? keySize = null;
        var hasKeySize = element.TryGetProperty("key_size", out var size);
        if (!fields.Failed && hasKeySize && size.ValueKind != JsonValueKind.Null)
        {
            keySize = KeySize(size);
            if (keySize is null)
            {
                fields.Fail(BodyReader.Invalid("key_size", size, "It must be a non-negative integer or null."));
            }
        }

        return fields.Failed
            ? (null, Refusals.BadRequest(fields.Error!))
            : (new EncryptionFields(provider, fields.Has("cipher"), cipher, hasKeySize, keySize, location), null);
    }

    private static int? KeySize(JsonElement size) => size.ValueKind switch
    {
        JsonValueKind.Number when size.TryGetInt32(out var number) && number >= 0 => number,
        JsonValueKind.String when size.GetString() is { Length: > 0 } text && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>Cinder's encryption row: exactly the keys Tempest's schema allows.</summary>
    private static Dictionary<string, object?> Row(TypeEncryption encryption) => new(StringComparer.Ordinal)
    {
        ["volume_type_id"] = encryption.VolumeTypeId,
        ["encryption_id"] = encryption.EncryptionId,
        ["key_size"] = encryption.KeySize,
        ["provider"] = encryption.Provider,
        ["control_location"] = encryption.ControlLocation,
        ["cipher"] = encryption.Cipher,
        ["deleted"] = false,
        ["created_at"] = ServiceView.Timestamp(encryption.CreatedAt),
        ["updated_at"] = ServiceView.Timestamp(encryption.UpdatedAt),
        ["deleted_at"] = null,
    };

    private static IResult EncryptionNotFound(string typeId) => Refusals.NotFound($"Volume type encryption for type {typeId} does not exist.");
}
