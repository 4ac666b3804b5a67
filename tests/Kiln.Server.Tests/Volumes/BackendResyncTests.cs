using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Identity;
using Kiln.Server.Tests.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// The initialization step after the clean-up, as cinder-volume's init_host does it: <c>update_provider_info</c> then
/// <c>ensure_export</c> of the in-use volumes, and what each outcome leaves in the database. The real driver host's
/// side: <c>CinderBackendResyncTests</c>.
/// </summary>
public sealed class BackendResyncTests
{
    private const string Host = "node@fast";
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_UpdateProviderInfo_StoresVolumeIdsAndOnlyMissingSnapshotIds_IgnoresOtherBackends()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool") with { ProviderId = null });
        await AddAsync(database, Samples.Volume("v2", host: "node@fast#pool"));
        await AddAsync(database, Samples.Volume("vx", status: VolumeStatus.InUse, host: "node@slow#pool"));
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v2") with { ProviderId = null }, ct);
        await database.Snapshots.AddAsync(Samples.Snapshot("s2", "v2"), ct);
        var driver = new ResyncDriver
        {
            ProviderIds = new(
                new Dictionary<string, string> { ["v1"] = "new-v1", ["v2"] = "new-v2", ["vx"] = "new-vx" },
                new Dictionary<string, string> { ["s1"] = "new-s1", ["s2"] = "new-s2" }),
        };

        await Resync(database).RunAsync(Host, driver, OperationTimeout, ct);

        driver.SyncedVolumes.Select(v => v.Id).ShouldBe(["v1", "v2"], ignoreOrder: true);
        driver.SyncedSnapshots.Select(s => (s.Id, s.ProviderId)).ShouldBe([("s1", null), ("s2", "array-s2")], ignoreOrder: true);
        (await database.Volumes.FindAsync("v1", ct))!.ProviderId.ShouldBe("new-v1");
        (await database.Volumes.FindAsync("v2", ct))!.ProviderId.ShouldBe("new-v2");
        (await database.Volumes.FindAsync("vx", ct))!.ProviderId.ShouldBe("array-vx");
        (await database.Snapshots.FindAsync("s1", ct))!.ProviderId.ShouldBe("new-s1");
        (await database.Snapshots.FindAsync("s2", ct))!.ProviderId.ShouldBe("array-s2");

        // The re-export sees the provider_id just synced, as the driver's own volume object does in Cinder.
        driver.Ensured.ShouldHaveSingleItem().ShouldBe(new VolumeRef("v1", 10) { ProviderLocation = "/data/v1.img", ProviderAuth = "CHAP user-v1 secret-v1", ProviderId = "new-v1" });
    }

    [Fact]
    public async Task Run_OneReexportFails_ThatVolumeInErrorWithALogLine_OthersReexportedAndUpdated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        foreach (var id in new[] { "v1", "v2", "v3" })
        {
            await AddAsync(database, Samples.Volume(id, status: VolumeStatus.InUse, host: "node@fast#pool"));
        }

        await AddAsync(database, Samples.Volume("v4", host: "node@fast#pool"));
        var driver = new ResyncDriver { Fail = v => v.Id == "v2" ? new DriverException("no target for v2") : null };
        using var logs = new LogRecorder();

        await Resync(database, logs).RunAsync(Host, driver, OperationTimeout, ct);

        driver.Ensured.Select(v => v.Id).ShouldBe(["v1", "v2", "v3"], ignoreOrder: true);
        foreach (var id in new[] { "v1", "v3" })
        {
            var ensured = (await database.Volumes.FindAsync(id, ct))!;
            (ensured.Status, ensured.ProviderLocation, ensured.ProviderAuth, ensured.ProviderId).ShouldBe((VolumeStatus.InUse, $"ensured-{id}", "CHAP ensured secret", $"array-{id}"));
        }

        var failed = (await database.Volumes.FindAsync("v2", ct))!;
        failed.Status.ShouldBe(VolumeStatus.Error);
        failed.ErrorReason.ShouldBe($"The volume's export could not be restored when backend {Host} was initialized: DriverException: no target for v2");
        failed.ProviderLocation.ShouldBe("/data/v2.img");
        (await database.Volumes.FindAsync("v4", ct))!.Status.ShouldBe(VolumeStatus.Available);
        var line = logs.WithId(3082).ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Error);
        line.Message.ShouldContain("v2");
        line.Exception!.Message.ShouldBe("no target for v2");
        logs.WithId(3083).ShouldHaveSingleItem().Message.ShouldBe($"Backend {Host}: re-exported 2 in-use volumes at initialization (1 failed and set to error)");
    }

    [Fact]
    public async Task Run_ReexportFailsButVolumeNoLongerInUse_StatusUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool"));

        // A detach completes while the driver works on the export: the conditional write leaves the volume alone.
        var driver = new ResyncDriver
        {
            Fail = v =>
            {
                database.Volumes.TryUpdateAsync("v1", [VolumeStatus.InUse], x => x with { Status = VolumeStatus.Available }, CancellationToken.None).GetAwaiter().GetResult();
                return new DriverException("gone");
            },
        };

        await Resync(database).RunAsync(Host, driver, OperationTimeout, ct);

        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Available);
    }

    [Fact]
    public async Task Run_DriverProcessGoneDuringReexport_ThatVolumeInErrorTheAttemptFailsTheRestUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool"));
        await AddAsync(database, Samples.Volume("v2", status: VolumeStatus.InUse, host: "node@fast#pool"));
        var driver = new ResyncDriver { Fail = _ => new DriverException("ensure_export: driver host process 42 exited with code 3") { DriverGone = true } };

        var error = await Should.ThrowAsync<DriverException>(() => Resync(database).RunAsync(Host, driver, OperationTimeout, ct));

        error.DriverGone.ShouldBeTrue();
        var culprit = driver.Ensured.ShouldHaveSingleItem().Id;
        (await database.Volumes.FindAsync(culprit, ct))!.Status.ShouldBe(VolumeStatus.Error);
        (await database.Volumes.FindAsync(culprit == "v1" ? "v2" : "v1", ct))!.Status.ShouldBe(VolumeStatus.InUse);
    }

    [Fact]
    public async Task Run_ReexportOverrunsTheOperationTimeout_ThatVolumeInErrorTheAttemptFails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool"));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = new ResyncDriver { Hang = entered };

        var run = Resync(database).RunAsync(Host, driver, OperationTimeout, ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        database.Time.Advance(OperationTimeout);

        var error = await Should.ThrowAsync<DriverTimeoutException>(() => run);
        error.Message.ShouldBe("ensure_export of v1 did not finish within 30 s (driver_operation_timeout)");
        var failed = (await database.Volumes.FindAsync("v1", ct))!;
        failed.Status.ShouldBe(VolumeStatus.Error);
        failed.ErrorReason!.ShouldContain("DriverTimeoutException: ensure_export of v1 did not finish within 30 s");
    }

    [Fact]
    public async Task Run_UpdateProviderInfoFails_TheAttemptFailsWithNothingReexported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool"));
        var driver = new ResyncDriver { SyncFailure = new DriverException("array not answering") };
        using var logs = new LogRecorder();

        (await Should.ThrowAsync<DriverException>(() => Resync(database, logs).RunAsync(Host, driver, OperationTimeout, ct))).Message.ShouldBe("array not answering");

        driver.Ensured.ShouldBeEmpty();
        (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.InUse);
        logs.WithId(3081).ShouldHaveSingleItem().Exception!.Message.ShouldBe("array not answering");
    }

    [Fact]
    public async Task Run_DriverWithoutUpdateProviderInfo_ReexportsAnyway()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await AddAsync(database, Samples.Volume("v1", status: VolumeStatus.InUse, host: "node@fast#pool"));
        var driver = new ResyncDriver { SyncFailure = new NotSupportedException("update_provider_info: NotImplementedError") };

        await Resync(database).RunAsync(Host, driver, OperationTimeout, ct);

        driver.Ensured.ShouldHaveSingleItem().Id.ShouldBe("v1");
    }

    private static BackendResync Resync(TestDatabase database, LogRecorder? logs = null)
    {
        var manager = new VolumeManager(database.Volumes, database.Snapshots, _ => null, database.Time, NullLogger<VolumeManager>.Instance);
        ILogger<BackendResync> logger = logs is null ? NullLogger<BackendResync>.Instance : new Logger<BackendResync>(new LoggerFactory([logs]));
        return new BackendResync(database.Volumes, database.Snapshots, manager, database.Time, logger);
    }

    private static Task AddAsync(TestDatabase database, Volume volume) => database.Volumes.AddAsync(volume, TestContext.Current.CancellationToken);

    /// <summary>Records what init_host's calls were handed; ensure_export answers with new location and credentials.</summary>
    private sealed class ResyncDriver : IVolumeDriver
    {
        private readonly ReadyBackend.InstantDriver inner = new();
        private readonly Lock gate = new();

        public ProviderIdUpdates ProviderIds { get; init; } = ProviderIdUpdates.None;

        public Exception? SyncFailure { get; init; }

        public Func<VolumeRef, Exception?> Fail { get; init; } = _ => null;

        public TaskCompletionSource? Hang { get; init; }

        public List<VolumeRef> SyncedVolumes { get; } = [];

        public List<SnapshotRef> SyncedSnapshots { get; } = [];

        public List<VolumeRef> Ensured { get; } = [];

        public Task<ProviderIdUpdates> UpdateProviderInfoAsync(IReadOnlyList<VolumeRef> volumes, IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken)
        {
            SyncedVolumes.AddRange(volumes);
            SyncedSnapshots.AddRange(snapshots);
            return SyncFailure is null ? Task.FromResult(ProviderIds) : Task.FromException<ProviderIdUpdates>(SyncFailure);
        }

        public async Task<VolumeUpdate> EnsureExportAsync(VolumeRef volume, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                Ensured.Add(volume);
            }

            if (Hang is not null)
            {
                Hang.TrySetResult();
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }

            if (Fail(volume) is { } failure)
            {
                throw failure;
            }

            return new VolumeUpdate($"ensured-{volume.Id}") { ProviderAuth = "CHAP ensured secret" };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task SetupAsync(CancellationToken cancellationToken) => inner.SetupAsync(cancellationToken);

        public Task CheckForSetupErrorAsync(CancellationToken cancellationToken) => inner.CheckForSetupErrorAsync(cancellationToken);

        public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

        public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => inner.CreateVolumeAsync(volume, cancellationToken);

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
