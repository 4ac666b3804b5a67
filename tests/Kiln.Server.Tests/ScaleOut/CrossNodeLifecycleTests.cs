using System.Diagnostics;
using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Messaging;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// An API node that runs no backend, beside the volume node that runs <c>node@fast</c> (one database, one
/// broker): it shows the backend's lifecycle as the owner stored it, and an operator's re-init sent to it
/// reaches the owner, which re-initializes the backend; once the owner is silent past
/// <c>service_down_time</c>, the re-init is refused with 409 naming the node.
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class CrossNodeLifecycleTests(RabbitBroker broker)
{
    [Fact]
    public async Task ApiNode_BackendOfAnotherNode_LifecycleShownAndReinitSentToItsOwner()
    {
        var shared = Directory.CreateTempSubdirectory("kiln-cross-node-");
        try
        {
            var config = $"[database]\nconnection = sqlite:///{shared.FullName}/kiln.db\n\n" + VolumeApi.OneBackend;
            var defaults = $"transport_url = {broker.TransportUrl}";
            await using var owner = await TestServer.StartAsync("fast", config, defaults: defaults, roles: KilnRoles.Scheduler | KilnRoles.Volume);
            await VolumeApi.WaitForBackendAsync(owner, "node@fast", BackendState.Ready);
            await using var api = await TestServer.StartAsync("fast", config, defaults: defaults, roles: KilnRoles.Api);
            api.KilnExtensions = true;

            var services = await VolumeApi.GetAsync(api, "os-services?binary=cinder-volume");
            var fast = services.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("host").GetString() == "node@fast");
            fast.GetProperty("state").GetString().ShouldBe("up");
            fast.GetProperty("driver_state").GetString().ShouldBe("ready");

            var backend = owner.Service<BackendCatalog>().Find("node@fast")!;
            var before = backend.Driver;
            await VolumeApi.CallAsync(api, HttpMethod.Put, "os-services/reinit", """{"host": "node@fast"}""", HttpStatusCode.Accepted);
            var started = Stopwatch.GetTimestamp();
            while (backend.Snapshot.State != BackendState.Ready || ReferenceEquals(backend.Driver, before))
            {
                Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "the owner re-initializes node@fast");
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            // The owner's clock stands still while the API node's moves on: its heartbeat is now too old.
            api.Time.Advance(TimeSpan.FromSeconds(30));
            var refused = await VolumeApi.ErrorAsync(api, HttpMethod.Put, "os-services/reinit", """{"host": "node@fast"}""", HttpStatusCode.Conflict);
            refused.ShouldBe("Backend node@fast is stopped: the volume service on node node is down (no heartbeat within service_down_time 10 s).");

            // A backend no node runs is still not found.
            await VolumeApi.ErrorAsync(api, HttpMethod.Put, "os-services/reinit", """{"host": "node@nowhere"}""", HttpStatusCode.NotFound);
        }
        finally
        {
            shared.Delete(recursive: true);
        }
    }
}
