using System.Text;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Messaging;
using RabbitMQ.Client;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// A volume node that comes back over RabbitMQ finds creates it owned still <c>creating</c>: one whose
/// message is still queued, and one whose message is gone (dead-lettered, or its sender died). Its start-up
/// clean-up resumes both from the database state instead of ending them in error, and the queued message,
/// delivered as well, changes nothing. (Over the in-process bus the message dies with the process, and the
/// clean-up ends such creates in error: <c>TransitionalResourceCleaner</c>'s own tests.)
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class ResumedCreateTests(RabbitBroker broker)
{
    [Fact]
    public async Task Restart_CreatesLeftCreatingOverRabbitMq_AreCarriedOutNotErrored()
    {
        var shared = Directory.CreateTempSubdirectory("kiln-resume-");
        try
        {
            var config = $"[database]\nconnection = sqlite:///{shared.FullName}/kiln.db\n\n" + VolumeApi.OneBackend;
            var defaults = $"transport_url = {broker.TransportUrl}";
            string queuedId, goneId;
            await using (var before = await TestServer.StartAsync("fast", config, defaults: defaults))
            {
                await VolumeApi.WaitForBackendAsync(before, "node@fast", BackendState.Ready);
                var baseId = await VolumeApi.CreateVolumeAsync(before, size: 1);

                // What a node killed mid-work leaves: rows claimed creating on its backend.
                var volumes = before.Service<IVolumeRepository>();
                var placed = (await volumes.FindAsync(baseId, TestContext.Current.CancellationToken))!;
                queuedId = Guid.NewGuid().ToString();
                goneId = Guid.NewGuid().ToString();
                await volumes.AddAsync(placed with { Id = queuedId, Status = VolumeStatus.Creating, ProviderLocation = null, Name = "queued" }, TestContext.Current.CancellationToken);
                await volumes.AddAsync(placed with { Id = goneId, Status = VolumeStatus.Creating, ProviderLocation = null, Name = "gone" }, TestContext.Current.CancellationToken);
            }

            // The node is down; the broker still holds the first create's message.
            await PublishAsync(Queues.Volume("node@fast"), $$"""{"type":"create_volume","volume_id":"{{queuedId}}"}""");

            await using var after = await TestServer.StartAsync("fast", config, defaults: defaults);
            await VolumeApi.WaitForStatusAsync(after, $"volumes/{queuedId}", "volume", "available");
            await VolumeApi.WaitForStatusAsync(after, $"volumes/{goneId}", "volume", "available");

            // A snapshot left creating is resumed the same way, here by the clean-up of a manual re-init
            // (the fault driver forgets its volumes with the process, so it is taken of a volume made by this one).
            var source = await VolumeApi.CreateVolumeAsync(after, size: 1);
            var snapshotId = Guid.NewGuid().ToString();
            await after.Service<ISnapshotRepository>().AddAsync(
                new Snapshot { Id = snapshotId, ProjectId = VolumeApi.Project, VolumeId = source, SizeGb = 1, Status = SnapshotStatus.Creating, CreatedAt = after.Time.GetUtcNow() },
                TestContext.Current.CancellationToken);
            await VolumeApi.ReinitFastWithAsync(after, "{}", BackendState.Ready);
            await VolumeApi.WaitForStatusAsync(after, $"snapshots/{snapshotId}", "snapshot", "available");

            // Every message was consumed and acknowledged; none of them turned a volume into something else.
            await using var connection = await broker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            while ((await channel.QueueDeclarePassiveAsync(Queues.Volume("node@fast"), TestContext.Current.CancellationToken)).MessageCount > 0)
            {
                System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "the volume queue drained");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            (await VolumeApi.GetAsync(after, $"volumes/{queuedId}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
            (await channel.QueueDeclarePassiveAsync(Queues.Volume("node@fast") + ".dead-letter", TestContext.Current.CancellationToken)).MessageCount.ShouldBe(0u);
        }
        finally
        {
            shared.Delete(recursive: true);
        }
    }

    private async Task PublishAsync(string queue, string body)
    {
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), TestContext.Current.CancellationToken);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body), TestContext.Current.CancellationToken);
    }
}
