using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;

namespace Kiln.Server.Tests.Api;

public sealed class ServicesEndpointsTests
{
    private const string TwoBackends = """
        [good]
        volume_driver = fault

        [stuck]
        volume_driver = fault
        fault_control_file = $DIR/hang.json
        """;

    private static Task<TestServer> StartTwoAsync() =>
        TestServer.StartAsync("good, stuck", TwoBackends, dir => File.WriteAllText(Path.Combine(dir, "hang.json"), """{"init": "hang"}"""));

    private static async Task<JsonElement> GetServicesAsync(TestServer server, string query = "", string? version = null, bool extensions = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/p1/os-services{query}");
        if (version is not null)
        {
            request.Headers.Add("OpenStack-API-Version", $"volume {version}");
        }

        if (extensions)
        {
            request.Headers.Add("X-Kiln-Extensions", "true");
        }

        using var response = await server.Client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("services");
    }

    private static async Task WaitForStateAsync(TestServer server, string host, BackendState state)
    {
        var backend = server.Service<BackendCatalog>().Find(host)!;
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != state)
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{host} stays {backend.Snapshot.State}");
            await Task.Yield();
        }
    }

    [Theory]
    [InlineData(null, new[] { "binary", "host", "zone", "status", "state", "updated_at", "disabled_reason", "replication_status", "active_backend_id", "frozen" })]
    [InlineData("3.49", new[] { "binary", "host", "zone", "status", "state", "updated_at", "disabled_reason", "cluster", "replication_status", "active_backend_id", "frozen", "backend_state" })]
    public async Task List_WithoutKilnExtensions_ExactlyCindersFields(string? version, string[] fields)
    {
        await using var server = await StartTwoAsync();
        await WaitForStateAsync(server, "node@good", BackendState.Ready);

        var services = await GetServicesAsync(server, "?binary=cinder-volume", version, extensions: false);

        foreach (var service in services.EnumerateArray())
        {
            service.EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
        }
    }

    [Fact]
    public async Task List_DefaultVersion_CinderFieldsAndKilnFieldsWithoutBackendState()
    {
        await using var server = await StartTwoAsync();
        await WaitForStateAsync(server, "node@good", BackendState.Ready);

        var services = await GetServicesAsync(server);

        services.GetArrayLength().ShouldBe(3);
        var scheduler = services.EnumerateArray().Single(s => s.GetProperty("binary").GetString() == "cinder-scheduler");
        scheduler.GetProperty("host").GetString().ShouldBe("node");
        scheduler.TryGetProperty("driver_state", out _).ShouldBeFalse();
        var good = services.EnumerateArray().Single(s => s.GetProperty("host").GetString() == "node@good");
        good.GetProperty("binary").GetString().ShouldBe("cinder-volume");
        good.GetProperty("zone").GetString().ShouldBe("nova");
        good.GetProperty("status").GetString().ShouldBe("enabled");
        good.GetProperty("state").GetString().ShouldBe("up");
        good.GetProperty("updated_at").GetString().ShouldBe("2026-01-01T00:00:00.000000");
        good.GetProperty("driver_state").GetString().ShouldBe("ready");
        good.GetProperty("driver_error").ValueKind.ShouldBe(JsonValueKind.Null);
        good.GetProperty("reinit_attempts").GetInt32().ShouldBe(0);
        good.GetProperty("reinit_budget").GetInt32().ShouldBe(3);
        good.GetProperty("reinit_next_at").ValueKind.ShouldBe(JsonValueKind.Null);
        good.GetProperty("driver_state_since").GetString().ShouldBe("2026-01-01T00:00:00.000000");
        good.TryGetProperty("backend_state", out _).ShouldBeFalse();
        good.TryGetProperty("cluster", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task List_Version349_AddsBackendStateUpOnlyWhenSchedulable()
    {
        await using var server = await StartTwoAsync();
        await WaitForStateAsync(server, "node@good", BackendState.Ready);

        var services = await GetServicesAsync(server, "?binary=cinder-volume", "3.49");

        services.GetArrayLength().ShouldBe(2);
        var byHost = services.EnumerateArray().ToDictionary(s => s.GetProperty("host").GetString()!);
        byHost["node@good"].GetProperty("backend_state").GetString().ShouldBe("up");
        byHost["node@stuck"].GetProperty("backend_state").GetString().ShouldBe("down");
        byHost["node@stuck"].GetProperty("driver_state").GetString().ShouldBe("initializing");
        byHost["node@good"].GetProperty("cluster").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task List_FilterByHost_ReturnsOnlyThatHost()
    {
        await using var server = await StartTwoAsync();

        var services = await GetServicesAsync(server, "?host=node@stuck");

        services.EnumerateArray().Select(s => s.GetProperty("host").GetString()).ShouldBe(["node@stuck"]);
    }

    [Fact]
    public async Task List_FilterByNodeName_ReturnsTheNodeAndItsBackendsAsCinderDoes()
    {
        await using var server = await StartTwoAsync();

        var services = await GetServicesAsync(server, "?host=node");

        services.EnumerateArray().Select(s => s.GetProperty("host").GetString()).Order().ShouldBe(["node", "node@good", "node@stuck"]);
        (await GetServicesAsync(server, "?host=nod")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("volume 3.49", HttpStatusCode.OK, "volume 3.49")]
    [InlineData("volume latest", HttpStatusCode.OK, "volume 3.70")]
    [InlineData("volume 3.7", HttpStatusCode.OK, "volume 3.7")]
    [InlineData("compute 2.1", HttpStatusCode.OK, "volume 3.0")]
    [InlineData("volume 3.71", HttpStatusCode.NotAcceptable, null)]
    [InlineData("volume 2.0", HttpStatusCode.NotAcceptable, null)]
    [InlineData("volume three", HttpStatusCode.BadRequest, null)]
    [InlineData("volume 3", HttpStatusCode.BadRequest, null)]
    public async Task Microversion_Header_NegotiatedLikeCinder(string header, HttpStatusCode expected, string? answered)
    {
        await using var server = await StartTwoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/p1/os-services");
        request.Headers.TryAddWithoutValidation("OpenStack-API-Version", header);

        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
        if (answered is not null)
        {
            response.Headers.GetValues("OpenStack-API-Version").Single().ShouldBe(answered);
        }
        else
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var fault = body.EnumerateObject().Single();
            fault.Name.ShouldBe(expected == HttpStatusCode.BadRequest ? "badRequest" : "computeFault");
            fault.Value.GetProperty("code").GetInt32().ShouldBe((int)expected);
            fault.Value.GetProperty("message").GetString()!.ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task Reinit_ReadyBackend_AcceptedAndReinitialized()
    {
        await using var server = await StartTwoAsync();
        await WaitForStateAsync(server, "node@good", BackendState.Ready);
        var before = server.Service<BackendCatalog>().Find("node@good")!.Driver;

        using var response = await server.Client.PutAsJsonAsync("/v3/p1/os-services/reinit", new { host = "node@good" });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var service = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("service");
        service.GetProperty("host").GetString().ShouldBe("node@good");
        service.GetProperty("driver_state").GetString().ShouldNotBeNull();
        var backend = server.Service<BackendCatalog>().Find("node@good")!;
        var started = Stopwatch.GetTimestamp();
        while (ReferenceEquals(backend.Driver, before) || backend.Snapshot.State != BackendState.Ready)
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Reinit_Initializing_ConflictNamingTheState()
    {
        await using var server = await StartTwoAsync();

        using var response = await server.Client.PutAsJsonAsync("/v3/p1/os-services/reinit", new { host = "node@stuck" });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conflictingRequest").GetProperty("message").GetString();
        message.ShouldBe("Backend node@stuck is initializing: an initialization attempt is already in progress.");
    }

    [Theory]
    [InlineData("""{"host": "node@nope"}""", HttpStatusCode.NotFound, "itemNotFound", "Volume backend node@nope not found. Known backends: node@good, node@stuck.")]
    [InlineData("""{"host": "node"}""", HttpStatusCode.NotFound, "itemNotFound", "Volume backend node not found")]
    [InlineData("""{}""", HttpStatusCode.BadRequest, "badRequest", "Missing required element 'host'")]
    [InlineData("""{"host": 5}""", HttpStatusCode.BadRequest, "badRequest", "Missing required element 'host'")]
    [InlineData("""{"host": "  "}""", HttpStatusCode.BadRequest, "badRequest", "Missing required element 'host'")]
    [InlineData("""[1]""", HttpStatusCode.BadRequest, "badRequest", "must be a JSON object")]
    [InlineData("""{"host": """, HttpStatusCode.BadRequest, "badRequest", "Malformed request body")]
    [InlineData("", HttpStatusCode.BadRequest, "badRequest", "Malformed request body")]
    public async Task Reinit_BadRequest_CinderErrorAndNothingChanges(string body, HttpStatusCode status, string fault, string message)
    {
        await using var server = await StartTwoAsync();
        await WaitForStateAsync(server, "node@good", BackendState.Ready);
        var before = server.Service<BackendCatalog>().Find("node@good")!.Snapshot;

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Client.PutAsync("/v3/p1/os-services/reinit", content);

        response.StatusCode.ShouldBe(status);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(fault);
        error.GetProperty("code").GetInt32().ShouldBe((int)status);
        error.GetProperty("message").GetString()!.ShouldContain(message);
        server.Service<BackendCatalog>().Find("node@good")!.Snapshot.ShouldBe(before);
    }

    [Fact]
    public async Task Backends_UnknownOrMissingDriver_OnlyThatBackendIsUnrecoverable()
    {
        await using var server = await TestServer.StartAsync("good, typo, bare, missing", """
            [good]
            volume_driver = fault

            [typo]
            volume_driver = faultt

            [bare]
            volume_backend_name = bare
            """);
        await WaitForStateAsync(server, "node@good", BackendState.Ready);
        await WaitForStateAsync(server, "node@typo", BackendState.Unrecoverable);
        await WaitForStateAsync(server, "node@bare", BackendState.Unrecoverable);
        await WaitForStateAsync(server, "node@missing", BackendState.Unrecoverable);

        var services = (await GetServicesAsync(server, "?binary=cinder-volume")).EnumerateArray()
            .ToDictionary(s => s.GetProperty("host").GetString()!, s => s.GetProperty("driver_error").GetString());

        services["node@typo"].ShouldBe("DriverConfigurationException: [typo] volume_driver = 'faultt' is invalid: unknown driver; known drivers: fault, file");
        services["node@bare"]!.ShouldContain("[bare] volume_driver is not set");
        services["node@missing"]!.ShouldContain("[missing] volume_driver is not set");
        services["node@good"].ShouldBeNull();
    }

    [Fact]
    public async Task Backends_BadLifecycleOptionInSection_OnlyThatBackendIsUnrecoverable()
    {
        await using var server = await TestServer.StartAsync("good, bad", """
            [good]
            volume_driver = fault

            [bad]
            volume_driver = fault
            reinit_driver_count = -5
            """);
        await WaitForStateAsync(server, "node@bad", BackendState.Unrecoverable);
        await WaitForStateAsync(server, "node@good", BackendState.Ready);

        var bad = server.Service<BackendCatalog>().Find("node@bad")!.Snapshot;
        bad.ErrorMessage!.ShouldContain("[bad] reinit_driver_count = '-5' is invalid");
    }
}
