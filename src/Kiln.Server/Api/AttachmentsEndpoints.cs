using System.Text.Json;
using Kiln.Core.Attachments;
using Kiln.Server.Attachments;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/v3/{project_id}/attachments</c> (3.27+): create (reserve, and connect when a connector is
/// given), update (connect), <c>os-complete</c> (3.44+), delete, list, detail and show, with Cinder's
/// bodies and status codes. Below 3.27 the routes do not exist, as in Cinder.
/// </summary>
internal static class AttachmentsEndpoints
{
    /// <summary>Cinder's NEW_ATTACH.</summary>
    public static ApiVersion Attachments { get; } = new(3, 27);

    /// <summary>Cinder's NEW_ATTACH_COMPLETION: <c>os-complete</c>.</summary>
    public static ApiVersion Completion { get; } = new(3, 44);

    /// <summary>Cinder's ATTACHMENT_CREATE_MODE_ARG: <c>mode</c> in the create body.</summary>
    public static ApiVersion CreateMode { get; } = new(3, 54);

    private static readonly Dictionary<string, Func<AttachmentQuery, string, AttachmentQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["volume_id"] = (q, v) => q with { VolumeId = v },
        ["status"] = (q, v) => q with { Status = v },
        ["attach_status"] = (q, v) => q with { Status = v },
        ["instance_id"] = (q, v) => q with { InstanceUuid = v },
    };

    private static readonly string[] Paging = ["limit", "marker", "sort", "sort_key", "sort_dir", "offset", "all_tenants"];

    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/attachments");
        group.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IAttachmentRepository attachments) =>
            ListAsync(http, projectId, attachments, detail: false));
        group.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IAttachmentRepository attachments) =>
            ListAsync(http, projectId, attachments, detail: true));
        group.MapGet("/{id}", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPost("/{id}/action", ActAsync);
        return v3;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, IAttachmentRepository attachments, bool detail)
    {
        if (Unavailable(http, Attachments) is { } unavailable)
        {
            return unavailable;
        }

        var parameters = http.Request.Query;
        var unknown = parameters.Keys.Where(k => !Paging.Contains(k) && !Filters.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            return Refusals.BadRequest($"Invalid filters {string.Join(',', unknown)} are found in query options. Kiln filters attachments by: {string.Join(", ", Filters.Keys)}.");
        }

        var (paging, error) = ListParameters.Parse(
            new QueryCollection(parameters.Where(p => !Filters.ContainsKey(p.Key) && p.Key != "offset").ToDictionary(p => p.Key, p => p.Value)),
            ListParameters.ProjectScope(http, projectId),
            new Dictionary<string, Func<Core.Volumes.ListQuery, string, Core.Volumes.ListQuery>>(),
            AttachmentPaging.SortKeys);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var query = new AttachmentQuery { ProjectId = paging!.ProjectId };
        foreach (var (name, apply) in Filters)
        {
            if (parameters.TryGetValue(name, out var value))
            {
                query = apply(query, value.ToString());
            }
        }

        var all = await attachments.QueryAsync(query, http.RequestAborted).ConfigureAwait(false);
        var (page, markerFound) = AttachmentPaging.Page(all, paging, Offset(parameters));
        if (!markerFound)
        {
            return Refusals.BadRequest($"marker [{paging.Marker}] not found");
        }

        var items = page.Select(a => detail ? AttachmentView.Detail(a) : AttachmentView.Summary(a)).ToList();
        return Results.Json(new Dictionary<string, object?> { ["attachments"] = items });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, AttachmentService service)
    {
        if (Unavailable(http, Attachments) is { } unavailable)
        {
            return unavailable;
        }

        var found = await service.FindAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        return found is { } f ? One(f.Attachment) : Refusals.NotFound(AttachmentService.NotFound(id));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, AttachmentService service)
    {
        if (Unavailable(http, Attachments) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (attachment, rootError) = BodyReader.Root(body.Value, "attachment");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        var withMode = MicroversionFilter.Of(http) >= CreateMode;
        if (withMode)
        {
            attachment!.OnlyKnown("instance_uuid", "connector", "volume_uuid", "mode");
        }
        else
        {
            attachment!.OnlyKnown("instance_uuid", "connector", "volume_uuid");
        }

        attachment.Require("volume_uuid");
        var volumeId = attachment.Uuid("volume_uuid");
        var instance = attachment.Uuid("instance_uuid");
        var mode = withMode ? attachment.String("mode", nullable: false) : null;
        if (mode is not null and not ("rw" or "ro"))
        {
            attachment.Fail($"Invalid input for field/attribute mode. Value: {mode}. '{mode}' is not one of ['rw', 'ro'].");
        }

        if (attachment.Failed)
        {
            return Refusals.BadRequest(attachment.Error!);
        }

        var inner = body.Value.GetProperty("attachment");
        var (connector, connectorError) = ReadConnector(inner, required: false);
        if (connectorError is not null)
        {
            return Refusals.BadRequest(connectorError);
        }

        var cancellationToken = http.RequestAborted;
        var volume = await service.FindVolumeAsync(Caller.Of(http, projectId), volumeId!, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Refusals.NotFound($"Volume {volumeId} could not be found.");
        }

        if (http.Deny(CinderPolicyRules.AttachmentCreate, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.CreateAsync(volume, instance, connector, mode ?? VolumeAttachment.NoMode, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? One(outcome.Value!) : Refusals.From(outcome);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, AttachmentService service)
    {
        if (Unavailable(http, Attachments) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (attachment, rootError) = BodyReader.Root(body.Value, "attachment");
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        attachment!.OnlyKnown("connector");
        attachment.Require("connector");
        if (attachment.Failed)
        {
            return Refusals.BadRequest(attachment.Error!);
        }

        var (connector, connectorError) = ReadConnector(body.Value.GetProperty("attachment"), required: true);
        if (connectorError is not null)
        {
            return Refusals.BadRequest(connectorError);
        }

        var cancellationToken = http.RequestAborted;
        if (await service.FindAsync(Caller.Of(http, projectId), id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return Refusals.NotFound(AttachmentService.NotFound(id));
        }

        if (http.Deny(CinderPolicyRules.AttachmentUpdate, found.Volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.UpdateAsync(found.Attachment, found.Volume, connector!, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? One(outcome.Value!) : Refusals.From(outcome);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, AttachmentService service)
    {
        if (Unavailable(http, Attachments) is { } unavailable)
        {
            return unavailable;
        }

        var cancellationToken = http.RequestAborted;
        if (await service.FindAsync(Caller.Of(http, projectId), id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return Refusals.NotFound(AttachmentService.NotFound(id));
        }

        if (http.Deny(CinderPolicyRules.AttachmentDelete, found.Volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.DeleteAsync(found.Attachment, found.Volume, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new Dictionary<string, object?> { ["attachments"] = outcome.Value!.Select(AttachmentView.Summary).ToList() })
            : Refusals.From(outcome);
    }

    private static async Task<IResult> ActAsync(HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, AttachmentService service)
    {
        if (Unavailable(http, Completion) is { } unavailable)
        {
            return unavailable;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var names = body.Value.EnumerateObject().Select(p => p.Name).ToList();
        if (names is not ["os-complete"])
        {
            return names.Count == 1
                ? Refusals.BadRequest($"There is no such action: {names[0]}. Attachments support os-complete.")
                : Refusals.BadRequest("The action body must name exactly one action: {\"os-complete\": null}.");
        }

        var cancellationToken = http.RequestAborted;
        if (await service.FindAsync(Caller.Of(http, projectId), id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return Refusals.NotFound(AttachmentService.NotFound(id));
        }

        if (http.Deny(CinderPolicyRules.AttachmentComplete, found.Volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = await service.CompleteAsync(found.Attachment, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? Results.NoContent() : Refusals.From(outcome);
    }

    /// <summary>The <c>connector</c> of an attachment body: checked as the connection actions check it, kept whole.</summary>
    private static (HostConnector? Connector, string? Error) ReadConnector(JsonElement attachment, bool required)
    {
        // At create, Cinder reserves only when the connector is falsy: absent, null or {} (python-cinderclient sends {}).
        if (!attachment.TryGetProperty("connector", out var element)
            || (!required && (element.ValueKind == JsonValueKind.Null || (element.ValueKind == JsonValueKind.Object && !element.EnumerateObject().Any()))))
        {
            return (null, null);
        }

        if (required && element.ValueKind == JsonValueKind.Object && !element.EnumerateObject().Any())
        {
            return (null, "Invalid input for field/attribute connector. Value: {}. {} does not have enough properties.");
        }

        var (_, error) = ConnectorReader.Read(element, nullMeansEveryHost: false);
        return error is not null ? (null, error) : (HostConnector.From(element, element.GetRawText()), null);
    }

    private static int Offset(IQueryCollection parameters) =>
        parameters.TryGetValue("offset", out var text) && int.TryParse(text.ToString(), out var offset) && offset > 0 ? offset : 0;

    private static IResult One(VolumeAttachment attachment) =>
        Results.Json(new Dictionary<string, object?> { ["attachment"] = AttachmentView.Detail(attachment) });

    private static IResult? Unavailable(HttpContext http, ApiVersion needed) =>
        MicroversionFilter.Of(http) < needed ? Refusals.NotFound($"API version {MicroversionFilter.Of(http).Major}.{MicroversionFilter.Of(http).Minor} is not supported on this method.") : null;
}
