using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Tests.Api;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// An extend whose message the bus refuses (the broker went down after the capacity and quota checks):
/// 503, and the volume is back to <c>available</c> at its old size with its pool's capacity hold let go,
/// so the same extend succeeds once the bus takes messages again.
/// </summary>
public sealed class RefusedSendTests
{
    [Fact]
    public async Task Extend_SendRefused_503AndTheVolumeIsAvailableAtItsOldSize()
    {
        RefusingBus? bus = null;
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend + "\nfault_capacity_gb = 3\n", configureServices: s => RefusingBus.Install(s, b => bus = b));
        await VolumeApi.WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        var id = await VolumeApi.CreateVolumeAsync(server, size: 1);

        bus!.Refusing = true;
        for (var i = 0; i < 3; i++)
        {
            // Three times: a hold left behind by each would exhaust the 3 GB pool for the extend below.
            using var refused = await VolumeApi.SendAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 3}}""");
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var volume = (await VolumeApi.GetAsync(server, $"volumes/{id}")).GetProperty("volume");
            volume.GetProperty("status").GetString().ShouldBe("available");
            volume.GetProperty("size").GetInt32().ShouldBe(1);
        }

        bus.Refusing = false;
        await VolumeApi.CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 3}}""", HttpStatusCode.Accepted);
        var extended = await VolumeApi.WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        extended.GetProperty("size").GetInt32().ShouldBe(3);
    }
}
