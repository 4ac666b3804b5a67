using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kiln.Chaos.Tests;

/// <summary>One answer; <see cref="Status"/> is null when the process could not be reached (killed, restarting).</summary>
internal readonly record struct ApiResult(HttpStatusCode? Status, JsonElement Body)
{
    public bool Accepted => Status is HttpStatusCode.Accepted or HttpStatusCode.OK;
}

/// <summary>A server error seen during the run: every one is a violation of "no 500".</summary>
internal sealed record ServerError(TimeSpan At, string Request, int Status, string Body);

/// <summary>Cinder calls against whichever Kiln process is current; every 5xx is recorded.</summary>
internal sealed class ChaosApi(ChaosCluster cluster, Stopwatch clock)
{
    private const string Project = "/v3/admin";

    public ConcurrentQueue<ServerError> ServerErrors { get; } = new();

    public Task<ApiResult> CreateVolumeAsync(int size, string type, string? sourceVolume = null, string? snapshot = null)
    {
        var volume = new Dictionary<string, object> { ["size"] = size, ["volume_type"] = type };
        if (sourceVolume is not null)
        {
            volume["source_volid"] = sourceVolume;
        }

        if (snapshot is not null)
        {
            volume["snapshot_id"] = snapshot;
        }

        return SendAsync(HttpMethod.Post, "/volumes", new { volume });
    }

    public Task<ApiResult> ListSnapshotsOfAsync(string volumeId) => SendAsync(HttpMethod.Get, $"/snapshots/detail?volume_id={volumeId}");

    public Task<ApiResult> DeleteVolumeAsync(string id) => SendAsync(HttpMethod.Delete, $"/volumes/{id}");

    public Task<ApiResult> ExtendAsync(string id, int newSize) =>
        SendAsync(HttpMethod.Post, $"/volumes/{id}/action", new Dictionary<string, object> { ["os-extend"] = new { new_size = newSize } });

    public Task<ApiResult> ResetStatusAsync(string id, string status) =>
        SendAsync(HttpMethod.Post, $"/volumes/{id}/action", new Dictionary<string, object> { ["os-reset_status"] = new { status } });

    public Task<ApiResult> CreateSnapshotAsync(string volumeId) =>
        SendAsync(HttpMethod.Post, "/snapshots", new { snapshot = new { volume_id = volumeId } });

    public Task<ApiResult> DeleteSnapshotAsync(string id) => SendAsync(HttpMethod.Delete, $"/snapshots/{id}");

    public Task<ApiResult> ShowVolumeAsync(string id) => SendAsync(HttpMethod.Get, $"/volumes/{id}");

    public Task<ApiResult> ShowSnapshotAsync(string id) => SendAsync(HttpMethod.Get, $"/snapshots/{id}");

    public Task<ApiResult> ReinitAsync(string backend) =>
        SendAsync(HttpMethod.Put, "/os-services/reinit", new { host = $"{ChaosCluster.Host}@{backend}" });

    public Task<ApiResult> CreateTypeAsync(string name, string backend) =>
        SendAsync(HttpMethod.Post, "/types", new { volume_type = new { name, extra_specs = new Dictionary<string, string> { ["volume_backend_name"] = backend } } });

    /// <summary>Each volume backend's lifecycle, or null when the process cannot be reached.</summary>
    public async Task<IReadOnlyList<JsonElement>?> BackendsAsync()
    {
        var result = await SendAsync(HttpMethod.Get, "/os-services?binary=cinder-volume", version: "3.49");
        return result.Status == HttpStatusCode.OK ? [.. result.Body.GetProperty("services").EnumerateArray()] : null;
    }

    /// <summary>Every volume or snapshot in the database, page by page.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAllAsync(string collection)
    {
        var all = new List<JsonElement>();
        string? marker = null;
        while (true)
        {
            var result = await SendAsync(HttpMethod.Get, $"/{collection}/detail?limit=1000{(marker is null ? "" : "&marker=" + marker)}");
            if (result.Status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /{collection}/detail answered {result.Status?.ToString() ?? "nothing"}: {result.Body}");
            }

            var page = result.Body.GetProperty(collection).EnumerateArray().ToList();
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }

            marker = page[^1].GetProperty("id").GetString();
        }
    }

    private async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body = null, string? version = null)
    {
        var http = cluster.Http;
        using var request = new HttpRequestMessage(method, Project + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (version is not null)
        {
            request.Headers.Add("OpenStack-API-Version", $"volume {version}");
        }

        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                ServerErrors.Enqueue(new ServerError(clock.Elapsed, $"{method} {path}", (int)response.StatusCode, text.Length > 300 ? text[..300] : text));
            }

            return new ApiResult(response.StatusCode, Parse(text));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            // Killed or restarting: the request may or may not have been acted on, and was not acknowledged.
            return new ApiResult(null, default);
        }
    }

    private static JsonElement Parse(string text)
    {
        if (text.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
