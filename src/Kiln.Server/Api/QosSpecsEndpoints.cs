using System.Text.Json;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Types;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/qos-specs</c>: Cinder's qos-specs extension (admin by default): create, list,
/// show, set and unset keys, delete (with <c>force</c>), associate with and disassociate from volume
/// types, and the associations list. Statuses, bodies and messages as Cinder's qos_specs_manage.
/// </summary>
internal static class QosSpecsEndpoints
{
    private const string Collection = "qos-specs";

    public static RouteGroupBuilder MapQosSpecs(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/qos-specs");
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapPut("/{id}", SetKeysAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPut("/{id}/delete_keys", UnsetKeysAsync);
        group.MapGet("/{id}/associations", AssociationsAsync);
        group.MapGet("/{id}/associate", AssociateAsync);
        group.MapGet("/{id}/disassociate", DisassociateAsync);
        group.MapGet("/{id}/disassociate_all", DisassociateAllAsync);
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosGetAll) is { } denied)
        {
            return denied;
        }

        // Cinder's filters on this list; other query keys are dropped, as its remove_invalid_filter_options does.
        var query = http.Request.Query;
        var all = await store.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var items = all
            .Where(q => !query.TryGetValue("id", out var id) || q.Id == id.ToString())
            .Where(q => !query.TryGetValue("name", out var name) || q.Name == name.ToString())
            .Where(q => !query.TryGetValue("consumer", out var consumer) || q.Consumer == consumer.ToString())
            .Select(Item)
            .ToList();
        return Results.Json(new Dictionary<string, object?> { ["qos_specs"] = items });
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosGet) is { } denied)
        {
            return denied;
        }

        var specs = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        return specs is null ? NotFound(id) : Detail(specs, ViewContext.Of(http));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, QosSpecsStore store, ILogger<QosSpecs> logger)
    {
        if (http.Deny(CinderPolicyRules.QosCreate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "qos_specs");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        fields!.Require("name");
        var name = fields.String("name", nullable: false)?.Trim();
        if (!fields.Failed && string.IsNullOrEmpty(name))
        {
            fields.Fail("Invalid input for field/attribute name. The name can not be empty or only spaces.");
        }

        var specs = fields.Failed ? null : fields.ReadMap(body.Value.GetProperty("qos_specs"), "qos_specs", MapKeys.ExtraSpecs);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        specs!.Remove("name");
        var consumer = QosConsumers.Default;
        if (specs.Remove("consumer", out var given))
        {
            if (!QosConsumers.All.Contains(given, StringComparer.Ordinal))
            {
                return Refusals.BadRequest(QosConsumers.Invalid);
            }

            consumer = given;
        }

        var (outcome, created) = await store.CreateAsync(name!, consumer, specs, http.RequestAborted).ConfigureAwait(false);
        if (outcome == QosWriteOutcome.NameTaken)
        {
            return Refusals.Conflict($"QoS Specs {name} already exists.");
        }

        TypeExtrasLog.QosCreated(logger, created!.Id, created.Name, created.Consumer);
        return Detail(created, ViewContext.Of(http));
    }

    private static async Task<IResult> SetKeysAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (fields, rootError) = BodyReader.Root(body.Value, "qos_specs");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var specs = fields!.ReadMap(body.Value.GetProperty("qos_specs"), "qos_specs", MapKeys.ExtraSpecs);
        if (fields.Failed)
        {
            return Refusals.BadRequest(fields.Error!);
        }

        var keys = new Dictionary<string, string>(specs!, StringComparer.Ordinal);
        string? consumer = null;
        if (keys.Remove("consumer", out var given))
        {
            if (!QosConsumers.All.Contains(given, StringComparer.Ordinal))
            {
                return Refusals.BadRequest(QosConsumers.Invalid);
            }

            consumer = given;
        }

        return await store.SetAsync(id, consumer, keys, http.RequestAborted).ConfigureAwait(false) == QosWriteOutcome.Done
            ? Results.Json(new Dictionary<string, object?> { ["qos_specs"] = specs })
            : NotFound(id);
    }

    private static async Task<IResult> UnsetKeysAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosDelete) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        if (ReadKeys(body.Value) is not { } keys)
        {
            return Refusals.BadRequest("Invalid input for field/attribute keys. The body must be {\"keys\": [\"key\", …]}: unique strings of 1 to 255 characters.");
        }

        var (outcome, missing) = await store.UnsetAsync(id, keys, http.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            QosWriteOutcome.Done => Results.StatusCode(StatusCodes.Status202Accepted),
            QosWriteOutcome.KeyNotFound => Refusals.NotFound($"QoS spec {id} has no spec with key {missing}."),
            _ => NotFound(id),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, QosSpecsStore store, ILogger<QosSpecs> logger)
    {
        if (http.Deny(CinderPolicyRules.QosDelete) is { } denied)
        {
            return denied;
        }

        var force = false;
        if (http.Request.Query.TryGetValue("force", out var text) && !BooleanText.TryParse(text.ToString(), out force))
        {
            return Refusals.BadRequest($"Invalid input received: Value '{text}' for 'force' is not a boolean.");
        }

        var outcome = await store.DeleteAsync(id, force, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case QosWriteOutcome.Done:
                TypeExtrasLog.QosDeleted(logger, id, force);
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case QosWriteOutcome.InUse:
                return Refusals.BadRequest("Qos specs still in use.");
            default:
                return NotFound(id);
        }
    }

    private static async Task<IResult> AssociationsAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosGetAll) is { } denied)
        {
            return denied;
        }

        var associations = await store.AssociationsAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (associations is null)
        {
            return NotFound(id);
        }

        var items = associations.Select(a => new Dictionary<string, object?> { ["association_type"] = "volume_type", ["name"] = a.Name, ["id"] = a.Id }).ToList();
        return Results.Json(new Dictionary<string, object?> { ["qos_associations"] = items });
    }

    private static async Task<IResult> AssociateAsync(string id, HttpContext http, QosSpecsStore store, ILogger<QosSpecs> logger)
    {
        if (http.Deny(CinderPolicyRules.QosUpdate) is { } denied)
        {
            return denied;
        }

        if (TypeIdOf(http) is not { } typeId)
        {
            return Refusals.BadRequest("Volume Type id must not be None.");
        }

        var (outcome, other) = await store.AssociateAsync(id, typeId, http.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case QosWriteOutcome.Done:
                TypeExtrasLog.QosAssociated(logger, id, typeId);
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case QosWriteOutcome.AssociatedElsewhere:
                return Refusals.BadRequest($"Invalid volume type: Type {typeId} is already associated with another qos specs: {other}");
            case QosWriteOutcome.TypeNotFound:
                return TypeNotFound(typeId);
            default:
                return NotFound(id);
        }
    }

    private static async Task<IResult> DisassociateAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosUpdate) is { } denied)
        {
            return denied;
        }

        if (TypeIdOf(http) is not { } typeId)
        {
            return Refusals.BadRequest("Volume Type id must not be None.");
        }

        return await store.DisassociateAsync(id, typeId, http.RequestAborted).ConfigureAwait(false) switch
        {
            QosWriteOutcome.Done => Results.StatusCode(StatusCodes.Status202Accepted),
            QosWriteOutcome.TypeNotFound => TypeNotFound(typeId),
            _ => NotFound(id),
        };
    }

    private static async Task<IResult> DisassociateAllAsync(string id, HttpContext http, QosSpecsStore store)
    {
        if (http.Deny(CinderPolicyRules.QosUpdate) is { } denied)
        {
            return denied;
        }

        return await store.DisassociateAllAsync(id, http.RequestAborted).ConfigureAwait(false) == QosWriteOutcome.Done
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : NotFound(id);
    }

    /// <summary>One QoS specs as Cinder's view shows it (the list items and the object of show and create are the same).</summary>
    private static Dictionary<string, object?> Item(QosSpecs specs) => new()
    {
        ["id"] = specs.Id,
        ["name"] = specs.Name,
        ["consumer"] = specs.Consumer,
        ["specs"] = specs.Specs,
    };

    private static IResult Detail(QosSpecs specs, ViewContext context) =>
        Results.Json(new Dictionary<string, object?> { ["qos_specs"] = Item(specs), ["links"] = context.Links(Collection, specs.Id) });

    /// <summary>The <c>keys</c> of an unset body: a list of unique strings of 1 to 255 characters, the only property; null when it is not.</summary>
    private static List<string>? ReadKeys(JsonElement body)
    {
        if (body.GetPropertyCount() != 1 || !body.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: >= 1 and <= BodyReader.MaxStringLength } text || list.Contains(text))
            {
                return null;
            }

            list.Add(text);
        }

        return list;
    }

    private static string? TypeIdOf(HttpContext http) =>
        http.Request.Query.TryGetValue("vol_type_id", out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : null;

    private static IResult NotFound(string id) => Refusals.NotFound($"No such QoS spec {id}.");

    private static IResult TypeNotFound(string typeId) => Refusals.NotFound($"Volume type {typeId} could not be found.");
}
