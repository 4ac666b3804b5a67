using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Api;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Messaging;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// An API node whose broker is down: every request that would send a message is answered 503
/// serviceUnavailable at once, naming the message service, and the claim it made is undone — no volume
/// or snapshot is left <c>creating</c>, <c>deleting</c>, <c>extending</c> or <c>reverting</c>, and no group
/// <c>creating</c>, for a message never queued (every operation in turn: <see cref="RefusedSendUndoTests"/>).
/// The volume and snapshot were made by a worker node on a live broker, over the same database.
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class BrokerDownRequestTests(RabbitBroker broker)
{
    [Fact]
    public async Task Requests_BrokerUnreachable_503AtOnceAndNothingChanged()
    {
        var shared = Directory.CreateTempSubdirectory("kiln-broker-down-");
        try
        {
            var database = $"[database]\nconnection = sqlite:///{shared.FullName}/kiln.db\n\n";
            await using var worker = await TestServer.StartAsync("fast", database + VolumeApi.OneBackend, defaults: $"transport_url = {broker.TransportUrl}");
            await VolumeApi.WaitForBackendAsync(worker, "node@fast", BackendState.Ready);
            var volumeId = await VolumeApi.CreateVolumeAsync(worker, size: 1, name: "a");
            var snapshotOf = await VolumeApi.CreateVolumeAsync(worker, size: 1, name: "b");
            var snapshotId = await VolumeApi.CreateSnapshotAsync(worker, snapshotOf);
            var groupType = await Groups.GroupApi.CreateGroupTypeAsync(worker);
            var groupVolumeType = await Groups.GroupApi.CreateVolumeTypeAsync(worker);

            // Nothing listens on that port: the API node's bus never connects.
            await using var api = await TestServer.StartAsync(
                "fast", database + VolumeApi.OneBackend, defaults: $"transport_url = rabbit://guest:guest@127.0.0.1:{ClosedPort()}/", roles: KilnRoles.Api);

            // Each request and the microversion it needs (revert 3.40, groups 3.13).
            (string Method, string Path, string? Body, string? Version)[] requests =
            [
                ("POST", "volumes", """{"volume": {"size": 1, "name": "lost"}}""", null),
                ("DELETE", $"volumes/{volumeId}", null, null),
                ("POST", $"volumes/{volumeId}/action", """{"os-extend": {"new_size": 2}}""", null),
                ("POST", "snapshots", JsonSerializer.Serialize(new { snapshot = new { volume_id = snapshotOf, name = "lost" } }), null),
                ("DELETE", $"snapshots/{snapshotId}", null, null),
                ("DELETE", $"volumes/{snapshotOf}?cascade=true", null, null),
                ("POST", $"volumes/{snapshotOf}/action", JsonSerializer.Serialize(new { revert = new { snapshot_id = snapshotId } }), "3.40"),
                ("POST", "groups", JsonSerializer.Serialize(new { group = new { name = "lost", group_type = groupType, volume_types = new[] { groupVolumeType } } }), "3.13"),
            ];
            foreach (var (method, path, body, version) in requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await VolumeApi.SendAsync(api, new HttpMethod(method), path, body, version);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

                response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, $"{method} {path}: {text}");
                var fault = JsonDocument.Parse(text).RootElement.GetProperty("serviceUnavailable");
                fault.GetProperty("code").GetInt32().ShouldBe(503);
                fault.GetProperty("message").GetString().ShouldBe(CinderFaults.MessagingUnavailableMessage);
                response.Headers.RetryAfter.ShouldNotBeNull();
                elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), $"{method} {path} failed fast");
            }

            // Nothing changed: no new rows, the volume and snapshot still available at their size.
            var volumes = await VolumeApi.GetAsync(api, "volumes/detail");
            VolumeApi.Ids(volumes, "volumes").ShouldBe([volumeId, snapshotOf], ignoreOrder: true);
            foreach (var volume in volumes.GetProperty("volumes").EnumerateArray())
            {
                volume.GetProperty("status").GetString().ShouldBe("available");
                volume.GetProperty("size").GetInt32().ShouldBe(1);
            }

            var snapshots = await VolumeApi.GetAsync(api, "snapshots/detail");
            VolumeApi.Ids(snapshots, "snapshots").ShouldBe([snapshotId]);
            snapshots.GetProperty("snapshots")[0].GetProperty("status").GetString().ShouldBe("available");
            (await VolumeApi.GetAsync(api, "groups", "3.13")).GetProperty("groups").GetArrayLength().ShouldBe(0);

            // The same requests through the worker (broker up) are accepted: the statuses allowed them.
            await VolumeApi.CallAsync(worker, HttpMethod.Delete, $"snapshots/{snapshotId}", null, HttpStatusCode.Accepted);
            await VolumeApi.WaitForGoneAsync(worker, $"snapshots/{snapshotId}");
            await VolumeApi.CallAsync(worker, HttpMethod.Post, $"volumes/{volumeId}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.Accepted);
            await VolumeApi.WaitForStatusAsync(worker, $"volumes/{volumeId}", "volume", "available");
            await VolumeApi.CallAsync(worker, HttpMethod.Delete, $"volumes/{volumeId}", null, HttpStatusCode.Accepted);
            await VolumeApi.WaitForGoneAsync(worker, $"volumes/{volumeId}");
        }
        finally
        {
            shared.Delete(recursive: true);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
