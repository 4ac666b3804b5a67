using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Persistence;
using Kiln.Server.Tests.Persistence;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// The issue as reported, on a real filesystem: the database's disk fills while a create is in the driver.
/// Before, the volume stayed <c>creating</c> for good; now its status lands once space is back, and the
/// writer reports the failure readiness shows meanwhile.
/// </summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task Create_DatabaseDiskFullWhenTheDriverFinishes_BecomesAvailableOnceSpaceIsBack()
    {
        Assert.SkipUnless(Tmpfs.CanMount, "mounting a tmpfs needs root on Linux");
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        using var disk = Tmpfs.Mount(database.StatePath, "4m");
        await database.MigrateAsync();
        var driver = new GatedDriver();
        await using var backend = await ReadyBackend.StartAsync(driver);
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => backend.Host, database.Time, NullLogger<VolumeManager>.Instance);
        var writer = database.Services.GetRequiredService<DatabaseWriter>();
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: "node@fast#pool") with { SourceSnapshotId = null, SourceVolumeId = null }, ct);

        var create = manager.CreateVolumeAsync("v1", ct);
        await driver.Entered.WaitAsync(TimeSpan.FromSeconds(15), ct);

        // No room left in the WAL or on the disk: the next commit must grow a file.
        await database.QueryAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var filler = disk.Fill();
        driver.Release();

        await Wait.UntilAsync(() => writer.WriteHealth.Failure is not null, "the final write fails on the full disk");
        writer.WriteHealth.Failure.ShouldBe("disk full");
        create.IsCompleted.ShouldBeFalse($"the create gave up: {create.Exception}");
        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Creating);

        File.Delete(filler);
        await Wait.UntilAsync(() => create.IsCompleted, "the final write lands", () => database.Time.Advance(FinalWrite.MaxDelay));
        await create;
        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Available);
        writer.WriteHealth.Failure.ShouldBeNull();
    }

    /// <summary>Creates wait until released.</summary>
    private sealed class GatedDriver : IVolumeDriver
    {
        private readonly ReadyBackend.InstantDriver inner = new();
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => entered.Task;

        public void Release() => released.TrySetResult();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public async Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
        {
            entered.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
            return new VolumeUpdate($"/v/{volume.Id}");
        }

        public Task SetupAsync(CancellationToken cancellationToken) => inner.SetupAsync(cancellationToken);

        public Task CheckForSetupErrorAsync(CancellationToken cancellationToken) => inner.CheckForSetupErrorAsync(cancellationToken);

        public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

        public Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
            inner.CreateVolumeFromSnapshotAsync(volume, snapshot, cancellationToken);

        public Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) => inner.CreateCloneAsync(volume, source, cancellationToken);

        public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => inner.DeleteVolumeAsync(volume, cancellationToken);

        public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) => inner.ExtendVolumeAsync(volume, newSizeGb, cancellationToken);

        public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => inner.CreateSnapshotAsync(snapshot, cancellationToken);

        public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => inner.DeleteSnapshotAsync(snapshot, cancellationToken);

        public Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) =>
            inner.InitializeConnectionAsync(volume, connector, cancellationToken);

        public Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) =>
            inner.TerminateConnectionAsync(volume, connector, cancellationToken);
    }
}
