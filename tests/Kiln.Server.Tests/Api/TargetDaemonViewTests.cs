using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;

namespace Kiln.Server.Tests.Api;

/// <summary>The tgtd of a file backend in Kiln's lifecycle view (<c>iscsi_target</c> on os-services with the Kiln opt-in only).</summary>
public sealed class TargetDaemonViewTests
{
    private const string Backends = """
        [auto]
        volume_driver = file
        file_volumes_dir = $DIR
        tgt_control_port = 31001

        [system]
        volume_driver = file
        file_volumes_dir = $DIR
        tgt_manage = external

        [faulty]
        volume_driver = fault
        """;

    [Fact]
    public async Task List_WithKilnExtensions_FileBackendsShowTheirTgtdOthersNull()
    {
        await using var server = await TestServer.StartAsync("auto, system, faulty", Backends);
        await WaitReadyAsync(server, "node@auto");
        await WaitReadyAsync(server, "node@system");

        var services = await ListAsync(server, extensions: true);

        var auto = services["node@auto"].GetProperty("iscsi_target");
        auto.GetProperty("manage").GetString().ShouldBe("auto");
        auto.GetProperty("state").GetString().ShouldBe("not_started", "nothing was exported, so Kiln has not looked for a tgtd");
        auto.GetProperty("control_port").GetInt32().ShouldBe(31001);
        auto.GetProperty("pid").ValueKind.ShouldBe(JsonValueKind.Null);
        auto.GetProperty("restarts").GetInt32().ShouldBe(0);
        var system = services["node@system"].GetProperty("iscsi_target");
        system.GetProperty("manage").GetString().ShouldBe("external");
        system.GetProperty("control_port").GetInt32().ShouldBe(0);
        services["node@faulty"].GetProperty("iscsi_target").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task List_WithoutKilnExtensions_NoIscsiTarget()
    {
        await using var server = await TestServer.StartAsync("auto, system, faulty", Backends);

        var services = await ListAsync(server, extensions: false);

        services.Values.Count(s => s.TryGetProperty("iscsi_target", out var _)).ShouldBe(0);
    }

    private static async Task<Dictionary<string, JsonElement>> ListAsync(TestServer server, bool extensions)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/p1/os-services?binary=cinder-volume");
        if (extensions)
        {
            request.Headers.Add("X-Kiln-Extensions", "true");
        }

        using var response = await server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("host").GetString()!);
    }

    private static async Task WaitReadyAsync(TestServer server, string host)
    {
        var backend = server.Service<BackendCatalog>().Find(host)!;
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != BackendState.Ready)
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(30), $"{host} stays {backend.Snapshot.State}: {backend.Snapshot.ErrorText}");
            await Task.Delay(20);
        }
    }
}
