using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary><c>/v3/{project_id}/volumes</c>: list, show, create, update and delete volumes. Actions are in <see cref="VolumeActionsEndpoints"/>.</summary>
internal static class VolumesEndpoints
{
    /// <summary>The volume list's exact filters (the summary takes the same).</summary>
    internal static readonly Dictionary<string, Func<ListQuery, string, ListQuery>> Filters = new(StringComparer.Ordinal)
    {
        ["name"] = (q, v) => q with { Name = v },
        ["status"] = (q, v) => q with { Status = v },
        ["availability_zone"] = (q, v) => q with { AvailabilityZone = v },
        ["bootable"] = ResourceListRequest.Bootable,
        ["metadata"] = ResourceListRequest.Metadata,
        ["project_id"] = (q, v) => q with { OwnerProjectId = v },
    };

    public static RouteGroupBuilder MapVolumes(this RouteGroupBuilder v3)
    {
        var group = v3.MapGroup("/volumes");
        group.MapGet("", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IVolumeRepository volumes, IVolumeTypeRepository types) =>
            ListAsync(http, projectId, volumes, types, detail: false));
        group.MapGet("/detail", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, IVolumeRepository volumes, IVolumeTypeRepository types) =>
            ListAsync(http, projectId, volumes, types, detail: true));
        group.MapVolumeSummary();
        group.MapGet("/{id}", ShowAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapVolumeActions();
        group.MapMetadata(Metadata.MetadataResource.Volume);
        return v3;
    }

    /// <summary>The detail view with the volume's type name looked up.</summary>
    public static async Task<Dictionary<string, object?>> DetailAsync(
        Volume volume, IVolumeTypeRepository types, ViewContext context, CancellationToken cancellationToken, bool extensions = true)
    {
        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        var attached = await VolumeAttachmentFields.OfAsync(volume, type, context.Request.HttpContext, cancellationToken).ConfigureAwait(false);
        return VolumeView.Detail(volume, type?.Name, context, extensions, attached);
    }

    private static async Task<IResult> ListAsync(HttpContext http, string projectId, IVolumeRepository volumes, IVolumeTypeRepository types, bool detail)
    {
        // GET /volumes/ is a show with an empty id in Cinder's router, so 404 (Tempest's test_get_volume_without_passing_volume_id).
        if (http.Request.Path.Value?.EndsWith('/') == true)
        {
            return Refusals.NotFound("Volume  could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeGetAll) is { } denied)
        {
            return denied;
        }

        var (query, withCount, error) = ResourceListRequest.Parse(http, ListParameters.ProjectScope(http, projectId), Filters, ResourceListRequest.VolumeUserFilters);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var cancellationToken = http.RequestAborted;
        var page = query!.Limit == 0 ? new ListPage<Volume>([]) : await volumes.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (page.MarkerNotFound)
        {
            return Refusals.BadRequest($"marker [{query.Marker}] not found");
        }

        var context = ViewContext.Of(http, projectId);
        var typesById = detail ? (await types.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal) : null;
        var attached = detail ? await VolumeAttachmentFields.OfPageAsync(page.Items, typesById!, http, cancellationToken).ConfigureAwait(false) : null;
        var items = page.Items
            .Select(v => detail ? VolumeView.Detail(v, v.VolumeTypeId is null ? null : typesById!.GetValueOrDefault(v.VolumeTypeId)?.Name, context, attached: attached!(v)) : VolumeView.Summary(v, context))
            .ToList();
        var body = new Dictionary<string, object?> { ["volumes"] = items };
        var collection = detail ? "volumes/detail" : "volumes";
        if (context.NextLinks(collection, items.Count, ListParameters.EffectiveLimit(query), (page.Items.Count > 0 ? page.Items[^1].Id : null)) is { } links)
        {
            body["volumes_links"] = links;
        }

        if (withCount)
        {
            body["count"] = await http.RequestServices.GetRequiredService<IVolumeListing>().CountVolumesAsync(query, cancellationToken).ConfigureAwait(false);
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, IVolumeRepository volumes, IVolumeTypeRepository types)
    {
        var volume = await volumes.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (volume is null || !Caller.Of(http, projectId).Sees(volume.ProjectId))
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        if (http.Deny(CinderPolicyRules.VolumeGet, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var view = await DetailAsync(volume, types, ViewContext.Of(http, projectId), http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object?> { ["volume"] = view });
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, VolumeService service, IVolumeTypeRepository types)
    {
        if (http.Deny(CinderPolicyRules.VolumeCreate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (request, error) = VolumeRequestReader.ReadCreate(body.Value, MicroversionFilter.Of(http), MetadataLimit.Max(http));
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var outcome = await service.CreateVolumeAsync(Caller.Of(http, projectId), request!, http.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return Refusals.From(outcome);
        }

        var view = await DetailAsync(outcome.Value!, types, ViewContext.Of(http, projectId), http.RequestAborted, extensions: false).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object?> { ["volume"] = view }, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> UpdateAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service, IVolumeTypeRepository types)
    {
        if (http.Deny(CinderPolicyRules.VolumeUpdate) is { } denied)
        {
            return denied;
        }

        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (update, error) = VolumeRequestReader.ReadUpdate(body.Value, MetadataLimit.Max(http), MicroversionFilter.Of(http));
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var outcome = await service.UpdateVolumeAsync(Caller.Of(http, projectId), id, update!.Name, update.Description, update.Metadata, http.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return Refusals.From(outcome);
        }

        var view = await DetailAsync(outcome.Value!, types, ViewContext.Of(http, projectId), http.RequestAborted, extensions: false).ConfigureAwait(false);
        return Results.Json(new Dictionary<string, object?> { ["volume"] = view });
    }

    private static async Task<IResult> DeleteAsync(
        HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, VolumeService service, VolumeCascadeDelete cascade)
    {
        if (http.Deny(CinderPolicyRules.VolumeDelete) is { } denied)
        {
            return denied;
        }

        if (IsOn(http, "cascade"))
        {
            var deleted = await cascade.DeleteAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
            return deleted.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(deleted);
        }

        // force (3.23) would change what a delete may destroy; refuse rather than ignore it.
        if (IsOn(http, "force"))
        {
            return Refusals.BadRequest("Kiln does not support force=true: reset the volume's status with os-reset_status, then delete it.");
        }

        var outcome = await service.DeleteVolumeAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static bool IsOn(HttpContext http, string parameter) =>
        http.Request.Query.TryGetValue(parameter, out var value) && BooleanText.TryParse(value, out var on) && on;
}
