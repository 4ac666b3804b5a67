using System.Diagnostics;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// At-least-once means any message may come twice. Handlers decide from the database, not from memory
/// of the first delivery: a message already carried out changes nothing (no driver call, no status
/// change), and a placement whose hand-off was lost is resumed.
/// </summary>
public sealed class RedeliveredMessageTests
{
    private const string Backend = """
        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json
        fault_call_log = $DIR/calls.log
        """;

    [Fact]
    public async Task Redelivery_OfAppliedMessages_ChangesNothing()
    {
        ObservedBus? observed = null;
        await using var server = await TestServer.StartAsync("fast", Backend, configureServices: s =>
        {
            var inner = s.Single(d => d.ServiceType == typeof(IMessageBus));
            s.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp => observed = new ObservedBus((IMessageBus)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        });
        await VolumeApi.WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        var volumeId = await VolumeApi.CreateVolumeAsync(server, size: 1);
        await VolumeApi.WaitForStatusAsync(server, $"volumes/{volumeId}", "volume", "available");
        var snapshotId = await VolumeApi.CreateSnapshotAsync(server, volumeId);
        await VolumeApi.WaitForStatusAsync(server, $"snapshots/{snapshotId}", "snapshot", "available");
        var calls = await OperationCallsAsync(server);
        var before = await server.Service<IVolumeRepository>().FindAsync(volumeId, TestContext.Current.CancellationToken);
        var handled = observed!.Handled;

        // Each message of the volume's life delivered again, as a broker does after a consumer's death.
        KilnMessage[] again = [new CreateVolume(volumeId), new ExtendVolume(volumeId, 5), new CreateSnapshot(snapshotId), new DeleteSnapshot(snapshotId), new DeleteVolume(volumeId)];
        foreach (var message in again)
        {
            await observed.SendRedeliveredAsync(Queues.Volume("node@fast"), message, TestContext.Current.CancellationToken);
        }

        await observed.SendRedeliveredAsync(Queues.Scheduler, new ScheduleVolume(volumeId), TestContext.Current.CancellationToken);
        await WaitAsync(() => observed.Handled == handled + again.Length + 1);

        (await OperationCallsAsync(server)).ShouldBe(calls);
        var after = await server.Service<IVolumeRepository>().FindAsync(volumeId, TestContext.Current.CancellationToken);
        (after!.Status, after.SizeGb, after.ProviderLocation, after.UpdatedAt).ShouldBe((before!.Status, before.SizeGb, before.ProviderLocation, before.UpdatedAt));
        var snapshot = await VolumeApi.GetAsync(server, $"snapshots/{snapshotId}");
        snapshot.GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Redelivery_OfAPlacementWhoseHandOffWasLost_CreatesTheVolume()
    {
        ObservedBus? observed = null;
        await using var server = await TestServer.StartAsync("fast", Backend, configureServices: s =>
        {
            var inner = s.Single(d => d.ServiceType == typeof(IMessageBus));
            s.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp => observed = new ObservedBus((IMessageBus)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        });
        await VolumeApi.WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);

        // A scheduler placed the volume (the host is written) and died before its CreateVolume was sent.
        var placed = Samples.Volume("v-placed", status: VolumeStatus.Creating, host: "node@fast#fast") with
        {
            SourceSnapshotId = null, SourceVolumeId = null, VolumeTypeId = null, ProviderLocation = null, SizeGb = 1,
        };
        await server.Service<IVolumeRepository>().AddAsync(placed, TestContext.Current.CancellationToken);

        await observed!.SendRedeliveredAsync(Queues.Scheduler, new ScheduleVolume("v-placed"), TestContext.Current.CancellationToken);

        await VolumeApi.WaitForStatusAsync(server, "volumes/v-placed", "volume", "available");
        (await File.ReadAllTextAsync(Path.Combine(server.Directory, "calls.log"), TestContext.Current.CancellationToken)).ShouldContain("create_volume");
    }

    /// <summary>The driver's volume and snapshot operations so far (stats and probes left out: the backend loop makes those).</summary>
    private static async Task<string[]> OperationCallsAsync(TestServer server) =>
        [.. (await File.ReadAllLinesAsync(Path.Combine(server.Directory, "calls.log"), TestContext.Current.CancellationToken))
            .Where(l => l.Contains("_volume", StringComparison.Ordinal) || l.Contains("_snapshot", StringComparison.Ordinal))
            .Where(l => !l.Contains("get_volume_stats", StringComparison.Ordinal))];

    private static async Task WaitAsync(Func<bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "messages not handled in 10 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
