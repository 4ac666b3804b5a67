using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Hosting;
using Kiln.Server.Messaging;
using Kiln.Server.Tests.Api;

namespace Kiln.Server.Tests.Messaging;

/// <summary>A Kiln node with <c>transport_url</c> set: its roles talk through the broker, on the queues Cinder's topics suggest.</summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class RabbitMqServerTests(RabbitBroker broker)
{
    [Fact]
    public async Task TransportUrl_VolumeCreatedAndDeletedThroughTheBroker()
    {
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend, defaults: $"transport_url = {broker.TransportUrl}");
        server.Service<IMessageBus>().ShouldBeOfType<Kiln.Server.Messaging.Rabbit.RabbitMqMessageBus>().IsDurable.ShouldBeTrue();
        await VolumeApi.WaitForBackendAsync(server, "node@fast", BackendState.Ready);

        var id = await VolumeApi.CreateVolumeAsync(server, size: 1);
        await VolumeApi.WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        await VolumeApi.CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
        await VolumeApi.WaitForGoneAsync(server, $"volumes/{id}");

        // The queues are the broker's, durable: a scheduler queue shared by every scheduler, one per backend.
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        (await channel.QueueDeclarePassiveAsync(Queues.Scheduler, TestContext.Current.CancellationToken)).ConsumerCount.ShouldBe(1u);
        (await channel.QueueDeclarePassiveAsync(Queues.Volume("node@fast"), TestContext.Current.CancellationToken)).ConsumerCount.ShouldBe(1u);
    }

    [Fact]
    public async Task Roles_ApiInOneProcessSchedulerAndVolumeInAnother_CreateAndDeleteAVolume()
    {
        var shared = Directory.CreateTempSubdirectory("kiln-roles-");
        try
        {
            var database = $"[database]\nconnection = sqlite:///{shared.FullName}/kiln.db\n\n";
            var url = $"transport_url = {broker.TransportUrl}";
            await using var worker = await TestServer.StartAsync("fast", database + VolumeApi.OneBackend, defaults: url, roles: KilnRoles.Scheduler | KilnRoles.Volume);
            await VolumeApi.WaitForBackendAsync(worker, "node@fast", BackendState.Ready);
            await using var api = await TestServer.StartAsync("fast", database + VolumeApi.OneBackend, defaults: url, roles: KilnRoles.Api);

            var id = await VolumeApi.CreateVolumeAsync(api, size: 1);
            var volume = await VolumeApi.WaitForStatusAsync(api, $"volumes/{id}", "volume", "available");
            volume.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fast#fast");

            // The API process has no backends: it answers from the states the worker stores, so a delete is accepted.
            await VolumeApi.CallAsync(api, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
            await VolumeApi.WaitForGoneAsync(api, $"volumes/{id}");

            // The worker process serves no Cinder API; the API process runs no backend.
            using var none = await worker.Client.GetAsync(new Uri($"/v3/{VolumeApi.Project}/volumes/{id}", UriKind.Relative), TestContext.Current.CancellationToken);
            none.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            api.Service<Kiln.Server.Backends.BackendCatalog>().Hosts.ShouldBeEmpty();
        }
        finally
        {
            shared.Delete(recursive: true);
        }
    }
}
