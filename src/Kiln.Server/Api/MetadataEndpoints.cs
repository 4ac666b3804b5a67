using Kiln.Server.Identity;
using Kiln.Server.Metadata;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Mvc;

namespace Kiln.Server.Api;

/// <summary>
/// <c>/{id}/metadata</c> and <c>/{id}/metadata/{key}</c> under volumes and snapshots: show, merge
/// (POST), replace (PUT), and one item's show, set and delete, with Cinder's bodies and rules.
/// </summary>
internal static class MetadataEndpoints
{
    public static RouteGroupBuilder MapMetadata(this RouteGroupBuilder group, MetadataResource resource)
    {
        group.MapGet("/{id}/metadata", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id) =>
            ShowAllAsync(http, projectId, id, resource));
        group.MapPost("/{id}/metadata", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id) =>
            SetAllAsync(http, projectId, id, resource, replace: false));
        group.MapPut("/{id}/metadata", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id) =>
            SetAllAsync(http, projectId, id, resource, replace: true));
        group.MapGet("/{id}/metadata/{key}", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, string key) =>
            ShowItemAsync(http, projectId, id, key, resource));
        group.MapPut("/{id}/metadata/{key}", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, string key) =>
            SetItemAsync(http, projectId, id, key, resource));
        group.MapDelete("/{id}/metadata/{key}", (HttpContext http, [FromRoute(Name = "project_id")] string projectId, string id, string key) =>
            DeleteItemAsync(http, projectId, id, key, resource));
        return group;
    }

    private static async Task<IResult> ShowAllAsync(HttpContext http, string projectId, string id, MetadataResource resource)
    {
        var (owner, refused) = await FindAsync(http, projectId, id, resource, resource.GetRule).ConfigureAwait(false);
        return refused ?? Results.Json(new Dictionary<string, object> { ["metadata"] = owner!.Metadata });
    }

    private static async Task<IResult> SetAllAsync(HttpContext http, string projectId, string id, MetadataResource resource, bool replace)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var max = MetadataLimit.Max(http);
        var (metadata, error) = MetadataRequestReader.ReadAll(body.Value, max);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var (owner, refused) = await FindAsync(http, projectId, id, resource, replace ? resource.UpdateRule : resource.CreateRule).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        return await ChangeAsync(
            http,
            resource,
            owner!,
            current => replace ? metadata! : MetadataLimit.Enforce(current, Merge(current, metadata!), max),
            stored => Results.Json(new Dictionary<string, object> { ["metadata"] = stored })).ConfigureAwait(false);
    }

    private static async Task<IResult> ShowItemAsync(HttpContext http, string projectId, string id, string key, MetadataResource resource)
    {
        var (owner, refused) = await FindAsync(http, projectId, id, resource, resource.GetRule).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        return owner!.Metadata.TryGetValue(key, out var value)
            ? Results.Json(new Dictionary<string, object> { ["meta"] = new Dictionary<string, string> { [key] = value } })
            : KeyNotFound(resource, id, key);
    }

    private static async Task<IResult> SetItemAsync(HttpContext http, string projectId, string id, string key, MetadataResource resource)
    {
        var body = await RequestBody.ReadObjectAsync(http).ConfigureAwait(false);
        if (body.Error is { } malformed)
        {
            return malformed;
        }

        var (item, error) = MetadataRequestReader.ReadItem(body.Value, key);
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        var (owner, refused) = await FindAsync(http, projectId, id, resource, resource.UpdateRule).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var set = new Dictionary<string, string> { [key] = item!.Value.Value };
        var max = MetadataLimit.Max(http);
        return await ChangeAsync(
            http,
            resource,
            owner!,
            current => MetadataLimit.Enforce(current, Merge(current, set), max),
            _ => Results.Json(new Dictionary<string, object> { ["meta"] = set })).ConfigureAwait(false);
    }

    private static async Task<IResult> DeleteItemAsync(HttpContext http, string projectId, string id, string key, MetadataResource resource)
    {
        var (owner, refused) = await FindAsync(http, projectId, id, resource, resource.DeleteRule).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        if (!owner!.Metadata.ContainsKey(key))
        {
            return KeyNotFound(resource, id, key);
        }

        var outcome = await resource.Store(http.RequestServices)
            .ChangeAsync(owner, current => current.Where(p => p.Key != key).ToDictionary(StringComparer.Ordinal), http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Results.Ok() : Refusals.From(outcome);
    }

    /// <summary>The resource, or the 404 (not there, or not the caller's) or 403 (the rule denies it) to answer instead.</summary>
    private static async Task<(MetadataOwner? Owner, IResult? Refused)> FindAsync(HttpContext http, string projectId, string id, MetadataResource resource, string rule)
    {
        var owner = await resource.Store(http.RequestServices).FindAsync(Caller.Of(http, projectId), id, http.RequestAborted).ConfigureAwait(false);
        if (owner is null)
        {
            return (null, Refusals.NotFound($"{resource.Kind} {id} could not be found."));
        }

        return http.Deny(rule, owner.ProjectId) is { } denied ? (null, denied) : (owner, null);
    }

    /// <summary>Applies <paramref name="change"/> and answers with <paramref name="answer"/>; 400 when it would exceed <c>max_metadata_items</c> (then nothing is written).</summary>
    private static async Task<IResult> ChangeAsync(
        HttpContext http,
        MetadataResource resource,
        MetadataOwner owner,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change,
        Func<IReadOnlyDictionary<string, string>, IResult> answer)
    {
        Outcome<IReadOnlyDictionary<string, string>> outcome;
        try
        {
            outcome = await resource.Store(http.RequestServices).ChangeAsync(owner, change, http.RequestAborted).ConfigureAwait(false);
        }
        catch (MetadataLimitExceededException ex)
        {
            return Refusals.BadRequest(ex.Message);
        }

        return outcome.Succeeded ? answer(outcome.Value!) : Refusals.From(outcome);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> set)
    {
        var merged = current.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in set)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static IResult KeyNotFound(MetadataResource resource, string id, string key) =>
        Refusals.NotFound($"{resource.Kind} {id} has no metadata with key {key}.");
}
