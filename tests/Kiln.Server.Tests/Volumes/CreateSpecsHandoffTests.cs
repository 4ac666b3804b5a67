using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>The volume manager hands the type's back-end QoS specs and encryption to the driver's create.</summary>
public sealed class CreateSpecsHandoffTests
{
    [Fact]
    public async Task CreateVolume_TypeWithSpecs_DriverSeesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var driver = new RecordingDriver();
        await using var backend = await ReadyBackend.StartAsync(driver);
        var encryption = new VolumeEncryption("luks", "aes-xts-plain64", 256, "front-end");
        var specs = new FixedSpecs(new TypeCreateSpecs(new Dictionary<string, string> { ["total_iops_sec"] = "500" }, encryption));
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => backend.Host, database.Time, NullLogger<VolumeManager>.Instance, specs);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: "node@fast#pool") with { SourceSnapshotId = null, SourceVolumeId = null }, ct);

        await manager.CreateVolumeAsync("v1", ct);

        specs.AskedFor.ShouldBe(["type-1"]);
        driver.Created!.QosSpecs.ShouldBe(new Dictionary<string, string> { ["total_iops_sec"] = "500" });
        driver.Created.Encryption.ShouldBe(encryption);
        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Available);
    }

    [Fact]
    public async Task CreateVolume_DriverRefusesEncryption_ErrorWithTheDriversReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var driver = new RecordingDriver { RefuseEncryption = true };
        await using var backend = await ReadyBackend.StartAsync(driver);
        var specs = new FixedSpecs(new TypeCreateSpecs(new Dictionary<string, string>(), new VolumeEncryption("luks", null, null, "front-end")));
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => backend.Host, database.Time, NullLogger<VolumeManager>.Instance, specs);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: "node@fast#pool") with { SourceSnapshotId = null, SourceVolumeId = null }, ct);

        await manager.CreateVolumeAsync("v1", ct);

        var volume = (await database.Volumes.FindAsync("v1", ct))!;
        volume.Status.ShouldBe(VolumeStatus.Error);
        volume.ErrorReason.ShouldBe("Volume creation failed: DriverException: no encryption here");
    }

    private sealed class FixedSpecs(TypeCreateSpecs specs) : IVolumeTypeSpecs
    {
        public List<string?> AskedFor { get; } = [];

        public Task<TypeCreateSpecs> ForCreateAsync(string? volumeTypeId, CancellationToken cancellationToken)
        {
            AskedFor.Add(volumeTypeId);
            return Task.FromResult(specs);
        }
    }

    /// <summary>Remembers the last create; refuses encrypted volumes when told to.</summary>
    private sealed class RecordingDriver : IVolumeDriver
    {
        private readonly ReadyBackend.InstantDriver inner = new();

        public VolumeRef? Created { get; private set; }

        public bool RefuseEncryption { get; init; }

        public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
        {
            if (RefuseEncryption && volume.Encryption is not null)
            {
                throw new Kiln.Core.Errors.DriverException("no encryption here");
            }

            Created = volume;
            return inner.CreateVolumeAsync(volume, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

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
