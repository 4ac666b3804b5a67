using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;

namespace Kiln.Server.Tests.Api;

/// <summary>Requests and waits shared by the volume API tests: one Kiln with a ready <c>fast</c> fault backend, project <c>p1</c>.</summary>
internal static class VolumeApi
{
    public const string Project = "p1";

    /// <summary>The <c>fast</c> backend; its control file <c>$DIR/fast.json</c> is absent (no faults) until a test writes it.</summary>
    public const string OneBackend = """
        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json
        """;

    /// <summary>Starts Kiln with the ready <c>fast</c> backend (plus <paramref name="moreSections"/>) and waits until it is ready.</summary>
    public static async Task<TestServer> StartAsync(string backends = "fast", string moreSections = "", Action<string>? prepare = null)
    {
        var server = await TestServer.StartAsync(backends, OneBackend + "\n\n" + moreSections, prepare);
        await WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        return server;
    }

    /// <summary>Writes <paramref name="control"/> to the fast backend's control file and re-initializes it, so the new faults apply at once.</summary>
    public static async Task ReinitFastWithAsync(TestServer server, string control, BackendState expected)
    {
        var backend = server.Service<BackendCatalog>().Find("node@fast")!;
        var before = backend.Driver;
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), control, TestContext.Current.CancellationToken);
        await CallAsync(server, HttpMethod.Put, "os-services/reinit", """{"host": "node@fast"}""", HttpStatusCode.Accepted);

        // Ready before and after: only a new driver tells that the re-initialization has happened.
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != expected || (expected == BackendState.Ready && ReferenceEquals(backend.Driver, before)))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"node@fast stays {backend.Snapshot.State}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static async Task WaitForBackendAsync(TestServer server, string host, BackendState state)
    {
        var backend = server.Service<BackendCatalog>().Find(host)!;
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != state)
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{host} stays {backend.Snapshot.State}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<HttpResponseMessage> SendAsync(TestServer server, HttpMethod method, string path, string? body = null, string? version = null)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') ? path : $"/v3/{Project}/{path}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (version is not null)
        {
            request.Headers.Add("OpenStack-API-Version", $"volume {version}");
        }

        if (server.KilnExtensions)
        {
            request.Headers.Add("X-Kiln-Extensions", "true");
        }

        if (server.Token is { } token)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and asserts the status; returns the JSON body (default when empty).</summary>
    public static async Task<JsonElement> CallAsync(TestServer server, HttpMethod method, string path, string? body, HttpStatusCode expected, string? version = null)
    {
        using var response = await SendAsync(server, method, path, body, version);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> GetAsync(TestServer server, string path, string? version = null) =>
        CallAsync(server, HttpMethod.Get, path, null, HttpStatusCode.OK, version);

    /// <summary>Asserts Cinder's error body (<c>{"badRequest": {"code": 400, "message": …}}</c>) and returns the message.</summary>
    public static async Task<string> ErrorAsync(TestServer server, HttpMethod method, string path, string? body, HttpStatusCode expected, string? version = null)
    {
        var json = await CallAsync(server, method, path, body, expected, version);
        var fault = json.EnumerateObject().Single();
        fault.Name.ShouldBe(expected switch
        {
            HttpStatusCode.BadRequest => "badRequest",
            HttpStatusCode.NotFound => "itemNotFound",
            HttpStatusCode.Conflict => "conflictingRequest",
            _ => "computeFault",
        });
        fault.Value.GetProperty("code").GetInt32().ShouldBe((int)expected);
        var message = fault.Value.GetProperty("message").GetString();
        message.ShouldNotBeNullOrWhiteSpace();
        return message!;
    }

    /// <summary>Creates a volume and waits until it is available; returns its id.</summary>
    public static async Task<string> CreateVolumeAsync(TestServer server, int size = 1, string? name = null, string? project = null, string? type = null)
    {
        var fields = new Dictionary<string, object?> { ["size"] = size, ["name"] = name };
        if (type is not null)
        {
            fields["volume_type"] = type;
        }

        var path = project is null ? "volumes" : $"/v3/{project}/volumes";
        var created = await CallAsync(server, HttpMethod.Post, path, JsonSerializer.Serialize(new { volume = fields }), HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"/v3/{project ?? Project}/volumes/{id}", "volume", "available");
        return id;
    }

    /// <summary>Creates a snapshot of <paramref name="volumeId"/> and waits until it is available; returns its id.</summary>
    public static async Task<string> CreateSnapshotAsync(TestServer server, string volumeId, string? name = null, string project = Project)
    {
        var body = JsonSerializer.Serialize(new { snapshot = new { volume_id = volumeId, name } });
        var created = await CallAsync(server, HttpMethod.Post, $"/v3/{project}/snapshots", body, HttpStatusCode.Accepted);
        var id = created.GetProperty("snapshot").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"/v3/{project}/snapshots/{id}", "snapshot", "available");
        return id;
    }

    /// <summary>Polls <paramref name="path"/> until the resource's status is <paramref name="status"/> (real-time deadline; workers need no fake time).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(TestServer server, string path, string resource, string status)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var current = (await GetAsync(server, path)).GetProperty(resource);
            if (current.GetProperty("status").GetString() == status)
            {
                return current;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{path} stays {current.GetProperty("status")}: {current}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls until <paramref name="path"/> answers 404.</summary>
    public static async Task WaitForGoneAsync(TestServer server, string path)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            using var response = await SendAsync(server, HttpMethod.Get, path);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{path} still answers {response.StatusCode}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static string[] Ids(JsonElement list, string collection) =>
        [.. list.GetProperty(collection).EnumerateArray().Select(v => v.GetProperty("id").GetString()!)];

    public static Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
