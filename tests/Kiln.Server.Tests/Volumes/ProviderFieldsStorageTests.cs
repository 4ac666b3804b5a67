using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// The volume manager stores the <c>provider_*</c> fields of drivers' model updates as Cinder does (create's and
/// create_export's with the volume, create_snapshot's with the snapshot) and hands the stored values to later calls;
/// a field an update leaves out keeps its stored value. The real driver host's side: <c>CinderProviderFieldsTests</c>.
/// </summary>
public sealed class ProviderFieldsStorageTests
{
    [Fact]
    public async Task ModelUpdates_StoredWithVolumeAndSnapshot_HandedToLaterCalls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var driver = new ProviderDriver();
        await using var backend = await ReadyBackend.StartAsync(driver);
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => backend.Host, database.Time, NullLogger<VolumeManager>.Instance);
        var fresh = Samples.Volume("v1", status: VolumeStatus.Creating, host: "node@fast#pool") with
        {
            SourceSnapshotId = null,
            SourceVolumeId = null,
            ProviderLocation = null,
            ProviderAuth = null,
            ProviderId = null,
        };
        await database.Volumes.AddAsync(fresh, ct);

        await manager.CreateVolumeAsync("v1", ct);
        var created = (await database.Volumes.FindAsync("v1", ct))!;
        (created.Status, created.ProviderLocation, created.ProviderAuth, created.ProviderId).ShouldBe((VolumeStatus.Available, "loc-v1", "CHAP create secret", "id-v1"));

        // create_export's update carries new credentials only: location and id keep their stored values.
        (await manager.InitializeConnectionAsync(created, new ConnectorInfo("h", "iqn.x", "192.0.2.1"), ct)).Succeeded.ShouldBeTrue();
        var exported = (await database.Volumes.FindAsync("v1", ct))!;
        (exported.ProviderLocation, exported.ProviderAuth, exported.ProviderId).ShouldBe(("loc-v1", "CHAP export secret", "id-v1"));

        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.Creating) with { ProviderLocation = null, ProviderAuth = null, ProviderId = null }, ct);
        await manager.CreateSnapshotAsync("s1", ct);
        var taken = (await database.Snapshots.FindAsync("s1", ct))!;
        (taken.Status, taken.ProviderLocation, taken.ProviderAuth, taken.ProviderId).ShouldBe((SnapshotStatus.Available, "snap-loc-s1", null, "snap-id-s1"));
        driver.SnapshotVolume!.ProviderAuth.ShouldBe("CHAP export secret");

        await database.Snapshots.TryUpdateAsync("s1", [SnapshotStatus.Available], s => s with { Status = SnapshotStatus.Deleting }, ct);
        await manager.DeleteSnapshotAsync("s1", ct);
        (driver.DeletedSnapshot!.ProviderLocation, driver.DeletedSnapshot.ProviderId).ShouldBe(("snap-loc-s1", "snap-id-s1"));

        await database.Volumes.TryUpdateAsync("v1", [VolumeStatus.Available], v => v with { Status = VolumeStatus.Deleting }, ct);
        await manager.DeleteVolumeAsync("v1", ct);
        (driver.Deleted!.ProviderLocation, driver.Deleted.ProviderAuth, driver.Deleted.ProviderId).ShouldBe(("loc-v1", "CHAP export secret", "id-v1"));
    }

    /// <summary>Returns provider fields from create, create_export and create_snapshot; remembers what later calls got.</summary>
    private sealed class ProviderDriver : IVolumeDriver
    {
        private readonly ReadyBackend.InstantDriver inner = new();

        public SnapshotRef? DeletedSnapshot { get; private set; }

        public VolumeRef? SnapshotVolume { get; private set; }

        public VolumeRef? Deleted { get; private set; }

        public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) =>
            Task.FromResult(new VolumeUpdate($"loc-{volume.Id}") { ProviderAuth = "CHAP create secret", ProviderId = $"id-{volume.Id}" });

        public Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) =>
            Task.FromResult(new ConnectionInfo("iscsi", new Dictionary<string, object?>()) { ExportUpdate = new VolumeUpdate { ProviderAuth = "CHAP export secret" } });

        public Task<VolumeUpdate> CreateSnapshotWithUpdateAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
        {
            SnapshotVolume = snapshot.Volume;
            return Task.FromResult(new VolumeUpdate($"snap-loc-{snapshot.Id}") { ProviderId = $"snap-id-{snapshot.Id}" });
        }

        public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => throw new InvalidOperationException("the volume manager asks for the model update");

        public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
        {
            DeletedSnapshot = snapshot;
            return Task.CompletedTask;
        }

        public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
        {
            Deleted = volume;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task SetupAsync(CancellationToken cancellationToken) => inner.SetupAsync(cancellationToken);

        public Task CheckForSetupErrorAsync(CancellationToken cancellationToken) => inner.CheckForSetupErrorAsync(cancellationToken);

        public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

        public Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
            inner.CreateVolumeFromSnapshotAsync(volume, snapshot, cancellationToken);

        public Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) => inner.CreateCloneAsync(volume, source, cancellationToken);

        public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) => inner.ExtendVolumeAsync(volume, newSizeGb, cancellationToken);

        public Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) =>
            inner.TerminateConnectionAsync(volume, connector, cancellationToken);
    }
}
