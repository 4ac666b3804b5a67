using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Messaging;
using Kiln.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend + "\nfault_capacity_gb = 3\n", configureServices: s =>
        {
            var inner = s.Single(d => d.ServiceType == typeof(IMessageBus));
            s.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp => bus = new RefusingBus((IMessageBus)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        });
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

    /// <summary>The server's bus, refusing every send as a broker out of reach does while <see cref="Refusing"/>.</summary>
    private sealed class RefusingBus(IMessageBus inner) : IMessageBus
    {
        public volatile bool Refusing;

        public bool IsDurable => inner.IsDurable;

        public bool IsUsable => inner.IsUsable && !Refusing;

        public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) =>
            Refusing ? ValueTask.FromException(new MessagingUnavailableException("refused by the test")) : inner.SendAsync(queue, message, cancellationToken);

        public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency) =>
            inner.Subscribe(queue, handler, concurrency);
    }
}
