using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// An operator's re-initialization of a healthy backend defers the work already queued for it: a
/// create delivered while the backend is initializing runs on the new driver (it failed with
/// "backend is initializing" before, 32 of 311 creates in one run).
/// </summary>
public sealed class VolumeManagerReinitTests
{
    [Fact]
    public async Task CreateVolume_DeliveredWhileAHealthyBackendReinitializes_RunsOnTheNewDriver()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var time = new TimerWatch();
        var secondSetup = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var drivers = new List<GatedDriver>();
        var host = new BackendHost(
            "node@gated", "gated", new LifecycleOptions(),
            () =>
            {
                var driver = new GatedDriver(drivers.Count == 0 ? Task.CompletedTask : release.Task, secondSetup);
                drivers.Add(driver);
                return driver;
            },
            NoTransitionalResources.Instance, time, new Random(1), NullLogger.Instance);
        var manager = new VolumeManager(database.Volumes, database.Snapshots, h => h == "node@gated" ? host : null, time, NullLogger<VolumeManager>.Instance);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: "node@gated#gated") with { SourceSnapshotId = null, SourceVolumeId = null }, ct);
        using var stopping = new CancellationTokenSource();
        var loop = host.RunAsync(stopping.Token);
        while (host.Snapshot.State != BackendState.Ready)
        {
            await Task.Delay(5, ct);
        }

        host.RequestReinit().Accepted.ShouldBeTrue();
        await secondSetup.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
        host.Snapshot.State.ShouldBe(BackendState.Initializing);

        // The create waits for the attempt: the only timer made from now on is its bounded wait.
        var waiting = time.NextTimer();
        var create = manager.CreateVolumeAsync("v1", ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(20), ct);
        create.IsCompleted.ShouldBeFalse();
        release.SetResult();
        await create.WaitAsync(TimeSpan.FromSeconds(20), ct);

        var volume = await database.Volumes.FindAsync("v1", ct);
        volume!.Status.ShouldBe(VolumeStatus.Available, volume.ErrorReason);
        drivers[1].Creates.ShouldBe(1);
        drivers[0].Creates.ShouldBe(0);
        await stopping.CancelAsync();
        await loop;
    }

    /// <summary>The system clock, telling the test when the next timer is made.</summary>
    private sealed class TimerWatch : TimeProvider
    {
        private TaskCompletionSource? next;

        public Task NextTimer()
        {
            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref next, source);
            return source.Task;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = System.CreateTimer(callback, state, dueTime, period);
            Interlocked.Exchange(ref next, null)?.TrySetResult();
            return timer;
        }
    }

    /// <summary>A driver whose setup waits for <c>gate</c>; creates succeed and are counted.</summary>
    private sealed class GatedDriver(Task gate, TaskCompletionSource entered) : IVolumeDriver
    {
        private int creates;

        public int Creates => Volatile.Read(ref creates);

        public async Task SetupAsync(CancellationToken cancellationToken)
        {
            if (!gate.IsCompleted)
            {
                entered.TrySetResult();
            }

            await gate.WaitAsync(cancellationToken);
        }

        public Task CheckForSetupErrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new BackendStats { VolumeBackendName = "gated", Pools = [new PoolStats { PoolName = "gated", TotalCapacityGb = 100, FreeCapacityGb = 100 }] });

        public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref creates);
            return Task.FromResult(VolumeUpdate.None);
        }

        public Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
