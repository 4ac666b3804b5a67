using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Kiln.Failover.Tests;

/// <summary>One answer; <see cref="Status"/> is null when no API node answered (the request was not acknowledged).</summary>
internal readonly record struct ApiResult(HttpStatusCode? Status, JsonElement Body, string Node)
{
    public bool Accepted => Status is HttpStatusCode.Accepted or HttpStatusCode.OK;
}

/// <summary>A 5xx seen during the run: a 500 is a violation; a 503 is Kiln's declared answer while the broker or database is away.</summary>
internal sealed record ServerError(TimeSpan At, string Node, string Request, int Status, string Body);

/// <summary>
/// A client of the deployment that fails over between the API nodes as a load balancer does: a request
/// whose connection is refused goes to the next node; one that was sent and got no answer is not
/// acknowledged and not repeated (it may or may not have been acted on). Reads always fail over.
/// </summary>
internal sealed class FailoverApi(IReadOnlyList<KilnNode> apiNodes, Stopwatch clock, int preferred = 0) : IDisposable
{
    // Longer than Kiln's wait for the broker (30 s): the client sees what Kiln answers when the broker stays away.
    private const string Project = "/v3/admin";
    private readonly HttpClient http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(45) };

    public ConcurrentQueue<ServerError> ServerErrors { get; } = new();

    /// <summary>Requests that went to another API node because the preferred one refused the connection.</summary>
    public int FailedOver;

    public Task<ApiResult> CreateVolumeAsync(int size) => SendAsync(HttpMethod.Post, "/volumes", new { volume = new { size } });

    public Task<ApiResult> DeleteVolumeAsync(string id) => SendAsync(HttpMethod.Delete, $"/volumes/{id}");

    public Task<ApiResult> ExtendAsync(string id, int newSize) =>
        SendAsync(HttpMethod.Post, $"/volumes/{id}/action", new Dictionary<string, object> { ["os-extend"] = new { new_size = newSize } });

    public Task<ApiResult> CreateSnapshotAsync(string volumeId) => SendAsync(HttpMethod.Post, "/snapshots", new { snapshot = new { volume_id = volumeId } });

    public Task<ApiResult> DeleteSnapshotAsync(string id) => SendAsync(HttpMethod.Delete, $"/snapshots/{id}");

    public Task<ApiResult> ShowAsync(string collection, string id) => SendAsync(HttpMethod.Get, $"/{collection}/{id}");

    /// <summary>The services as Cinder lists them, with Kiln's lifecycle fields (asked for explicitly).</summary>
    public async Task<IReadOnlyList<JsonElement>?> ServicesAsync()
    {
        var result = await SendAsync(HttpMethod.Get, "/os-services", extensions: true);
        return result.Status == HttpStatusCode.OK ? [.. result.Body.GetProperty("services").EnumerateArray()] : null;
    }

    /// <summary>Every volume or snapshot in the database, page by page.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAllAsync(string collection)
    {
        var all = new List<JsonElement>();
        string? marker = null;
        while (true)
        {
            var result = await SendAsync(HttpMethod.Get, $"/{collection}/detail?all_tenants=1&limit=1000{(marker is null ? "" : "&marker=" + marker)}");
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

    /// <summary><c>/healthz/ready</c> of one node: its status code, or null when it does not answer.</summary>
    public async Task<HttpStatusCode?> ReadyAsync(KilnNode node)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(node.Address, "/healthz/ready"));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    private async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body = null, bool extensions = false)
    {
        for (var attempt = 0; attempt < apiNodes.Count; attempt++)
        {
            var node = apiNodes[(preferred + attempt) % apiNodes.Count];
            using var request = new HttpRequestMessage(method, new Uri(node.Address, Project + path));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            if (extensions)
            {
                request.Headers.Add("X-Kiln-Extensions", "true");
            }

            try
            {
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500)
                {
                    ServerErrors.Enqueue(new ServerError(clock.Elapsed, node.Host, $"{method} {path}", (int)response.StatusCode, text.Length > 300 ? text[..300] : text));
                }

                return new ApiResult(response.StatusCode, Parse(text), node.Host);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } || ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                // Nothing was sent: the next node may take it, as a load balancer's health check would decide.
                Interlocked.Increment(ref FailedOver);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // Sent, no answer: the node died with the request. Not acknowledged; a read may go elsewhere.
                if (method != HttpMethod.Get)
                {
                    return new ApiResult(null, default, node.Host);
                }
            }
        }

        return new ApiResult(null, default, "none");
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

    public void Dispose() => http.Dispose();
}
