using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Identity;
using Kiln.Server.Tests.Persistence;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// The status written after a driver call is retried until the database takes it: with the database's
/// disk full, volumes whose driver work was done stayed <c>creating</c> / <c>extending</c> for good and
/// no log line named them.
/// </summary>
public sealed class FinalWriteRetryTests
{
    private const string Backend = "node@fast";

    public enum Operation
    {
        Create,
        Extend,
        Delete,
        CreateRefused,
        Snapshot,
    }

    [Theory]
    [InlineData(Operation.Create)]
    [InlineData(Operation.Extend)]
    [InlineData(Operation.Delete)]
    [InlineData(Operation.CreateRefused)]
    [InlineData(Operation.Snapshot)]
    public async Task FinalWrite_DiskFullThreeTimes_RetriedUntilItLandsAndEachFailureNamesTheVolume(Operation operation)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await using var backend = await ReadyBackend.StartAsync();
        var volumes = new DiskFullWrites<IVolumeRepository>(database.Volumes);
        var snapshots = new DiskFullWrites<ISnapshotRepository>(database.Snapshots);
        var time = new FakeTimeProvider(TestDatabase.Start);
        using var logs = new LogRecorder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var manager = new VolumeManager(
            new FailingVolumes(volumes), new FailingSnapshots(snapshots), host => host == Backend ? backend.Host : null, time, factory.CreateLogger<VolumeManager>());

        var placed = Samples.Volume("v1", host: $"{Backend}#pool") with { SourceSnapshotId = null, SourceVolumeId = null, SizeGb = 1 };
        (string Id, Func<Task> Run, Func<Task> Check) plan = operation switch
        {
            Operation.Create => ("v1", () => manager.CreateVolumeAsync("v1", ct), async () =>
                (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Available)),
            Operation.Extend => ("v1", () => manager.ExtendVolumeAsync("v1", 2, ct), async () =>
            {
                var volume = (await database.Volumes.FindAsync("v1", ct))!;
                volume.Status.ShouldBe(VolumeStatus.Available);
                volume.SizeGb.ShouldBe(2);
            }),
            Operation.Delete => ("v1", () => manager.DeleteVolumeAsync("v1", ct), async () =>
                (await database.Volumes.FindAsync("v1", ct)).ShouldBeNull()),
            Operation.CreateRefused => ("v1", () => manager.CreateVolumeAsync("v1", ct), async () =>
                (await database.Volumes.FindAsync("v1", ct))!.Status.ShouldBe(VolumeStatus.Error)),
            _ => ("s1", () => manager.CreateSnapshotAsync("s1", ct), async () =>
                (await database.Snapshots.FindAsync("s1", ct))!.Status.ShouldBe(SnapshotStatus.Available)),
        };
        var status = operation switch
        {
            Operation.Extend => VolumeStatus.Extending,
            Operation.Delete => VolumeStatus.Deleting,
            Operation.Snapshot => VolumeStatus.Available,
            _ => VolumeStatus.Creating,
        };
        await database.Volumes.AddAsync(operation == Operation.CreateRefused ? placed with { Host = null, Status = status } : placed with { Status = status }, ct);
        if (operation == Operation.Snapshot)
        {
            await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.Creating), ct);
        }

        var failing = operation == Operation.Snapshot ? (IDiskFull)snapshots : volumes;
        failing.FailNext(3);
        var (id, run, check) = plan;
        var running = run();

        // Each failed attempt waits for its backoff on the (fake) clock; nothing lands before the fourth.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Wait.UntilAsync(() => failing.Attempts >= attempt, $"attempt {attempt}", () => time.Advance(TimeSpan.Zero));
            running.IsCompleted.ShouldBeFalse($"the operation ended after failed attempt {attempt}: {running.Exception}");
            await Wait.UntilAsync(
                () => failing.Attempts > attempt || running.IsCompleted,
                $"retry after attempt {attempt}",
                () => time.Advance(FinalWrite.Delay(attempt)));
        }

        await running.WaitAsync(TimeSpan.FromSeconds(15), ct);
        await check();
        failing.Attempts.ShouldBe(4);
        var retries = logs.WithId(1900);
        retries.Count.ShouldBe(3);
        retries.ShouldAllBe(l => l.Message.StartsWith(id + ":", StringComparison.Ordinal) && l.Exception is SqliteException);
        logs.WithId(1901).ShouldHaveSingleItem().Message.ShouldStartWith(id + ":");
    }

    [Fact]
    public async Task FinalWrite_ProcessStopsWhileRetrying_GivesUpAndSaysTheCleanUpReconciles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await using var backend = await ReadyBackend.StartAsync();
        var volumes = new DiskFullWrites<IVolumeRepository>(database.Volumes);
        using var logs = new LogRecorder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var manager = new VolumeManager(new FailingVolumes(volumes), database.Snapshots, _ => backend.Host, new FakeTimeProvider(TestDatabase.Start), factory.CreateLogger<VolumeManager>());
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.Creating, host: $"{Backend}#pool") with { SourceSnapshotId = null, SourceVolumeId = null }, ct);
        volumes.FailNext(int.MaxValue);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var running = manager.CreateVolumeAsync("v1", stopping.Token);
        await Wait.UntilAsync(() => volumes.Attempts >= 1, "first attempt");
        await stopping.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(running.WaitAsync(TimeSpan.FromSeconds(15), ct));
        logs.WithId(1902).ShouldHaveSingleItem().Message.ShouldStartWith("v1:");
        manager.IsInFlight("v1").ShouldBeFalse();
    }

    [Fact]
    public void Delay_DoublesFromTheFirstAndStopsAtTheMaximumWithoutOverflow()
    {
        FinalWrite.Delay(1).ShouldBe(FinalWrite.FirstDelay);
        FinalWrite.Delay(2).ShouldBe(FinalWrite.FirstDelay * 2);
        FinalWrite.Delay(64).ShouldBe(FinalWrite.MaxDelay);
        FinalWrite.Delay(int.MaxValue).ShouldBe(FinalWrite.MaxDelay);
    }

    internal interface IDiskFull
    {
        int Attempts { get; }

        void FailNext(int count);
    }

    /// <summary>Counts the conditional writes and fails the next ones as SQLite does on a full disk.</summary>
    internal sealed class DiskFullWrites<T>(T inner) : IDiskFull
    {
        private int attempts;
        private int failuresLeft;

        public T Inner { get; } = inner;

        public int Attempts => Volatile.Read(ref attempts);

        public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

        public Task<TResult> WriteAsync<TResult>(Func<Task<TResult>> write)
        {
            Interlocked.Increment(ref attempts);
            return Interlocked.Decrement(ref failuresLeft) >= 0
                ? Task.FromException<TResult>(new SqliteException("SQLite Error 13: 'database or disk is full'.", 13))
                : write();
        }
    }

    private sealed class FailingVolumes(DiskFullWrites<IVolumeRepository> writes) : IVolumeRepository
    {
        private IVolumeRepository Inner => writes.Inner;

        public Task<Volume?> TryUpdateAsync(string id, IReadOnlyCollection<VolumeStatus> expected, Func<Volume, Volume> change, CancellationToken cancellationToken) =>
            writes.WriteAsync(() => Inner.TryUpdateAsync(id, expected, change, cancellationToken));

        public Task<Volume?> TryUpdateAsync(Volume read, Func<Volume, Volume> change, CancellationToken cancellationToken) =>
            writes.WriteAsync(() => Inner.TryUpdateAsync(read, change, cancellationToken));

        public Task<bool> TryRemoveAsync(string id, VolumeStatus expected, CancellationToken cancellationToken) =>
            writes.WriteAsync(() => Inner.TryRemoveAsync(id, expected, cancellationToken));

        public Task<DeleteClaim<Volume>> TryBeginDeleteAsync(string id, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken) =>
            Inner.TryBeginDeleteAsync(id, expected, cancellationToken);

        public Task AddAsync(Volume volume, CancellationToken cancellationToken) => Inner.AddAsync(volume, cancellationToken);

        public Task<Volume?> FindAsync(string id, CancellationToken cancellationToken) => Inner.FindAsync(id, cancellationToken);

        public Task<IReadOnlyList<Volume>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken) => Inner.ListByBackendAsync(backendHost, cancellationToken);

        public Task<IReadOnlyList<Volume>> ListUnscheduledAsync(VolumeStatus status, CancellationToken cancellationToken) => Inner.ListUnscheduledAsync(status, cancellationToken);

        public Task<int> CountByTypeAsync(string volumeTypeId, CancellationToken cancellationToken) => Inner.CountByTypeAsync(volumeTypeId, cancellationToken);

        public Task<ListPage<Volume>> QueryAsync(ListQuery query, CancellationToken cancellationToken) => Inner.QueryAsync(query, cancellationToken);
    }

    private sealed class FailingSnapshots(DiskFullWrites<ISnapshotRepository> writes) : ISnapshotRepository
    {
        private ISnapshotRepository Inner => writes.Inner;

        public Task<Snapshot?> TryUpdateAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, Func<Snapshot, Snapshot> change, CancellationToken cancellationToken) =>
            writes.WriteAsync(() => Inner.TryUpdateAsync(id, expected, change, cancellationToken));

        public Task<bool> TryRemoveAsync(string id, SnapshotStatus expected, CancellationToken cancellationToken) =>
            writes.WriteAsync(() => Inner.TryRemoveAsync(id, expected, cancellationToken));

        public Task<DeleteClaim<Snapshot>> TryBeginDeleteAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, CancellationToken cancellationToken) =>
            Inner.TryBeginDeleteAsync(id, expected, cancellationToken);

        public Task AddAsync(Snapshot snapshot, CancellationToken cancellationToken) => Inner.AddAsync(snapshot, cancellationToken);

        public Task<Snapshot?> FindAsync(string id, CancellationToken cancellationToken) => Inner.FindAsync(id, cancellationToken);

        public Task<IReadOnlyList<Snapshot>> ListByVolumeAsync(string volumeId, CancellationToken cancellationToken) => Inner.ListByVolumeAsync(volumeId, cancellationToken);

        public Task<IReadOnlyList<Snapshot>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken) => Inner.ListByBackendAsync(backendHost, cancellationToken);

        public Task<ListPage<Snapshot>> QueryAsync(ListQuery query, CancellationToken cancellationToken) => Inner.QueryAsync(query, cancellationToken);
    }
}

/// <summary>A <see cref="BackendHost"/> on the real clock whose driver answers every call at once; ready when returned.</summary>
internal sealed class ReadyBackend : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    private ReadyBackend(IVolumeDriver driver) =>
        Host = new BackendHost("node@fast", "fast", new LifecycleOptions(), () => driver, new NoCleanup(), TimeProvider.System, new Random(1), NullLogger.Instance);

    public BackendHost Host { get; }

    public static async Task<ReadyBackend> StartAsync(IVolumeDriver? driver = null)
    {
        var backend = new ReadyBackend(driver ?? new InstantDriver());
        backend.loop = backend.Host.RunAsync(backend.stopping.Token);
        await Wait.UntilAsync(() => backend.Host.Snapshot.State == BackendState.Ready, "backend ready");
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await loop!;
        stopping.Dispose();
    }

    private sealed class NoCleanup : ITransitionalResourceCleaner
    {
        public Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Every operation succeeds at once.</summary>
    internal sealed class InstantDriver : IVolumeDriver
    {
        public Task SetupAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task CheckForSetupErrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new BackendStats { VolumeBackendName = "fast", Pools = [new PoolStats { PoolName = "pool", TotalCapacityGb = 100, FreeCapacityGb = 100 }] });

        public Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => Task.FromResult(new VolumeUpdate($"/v/{volume.Id}"));

        public Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
            Task.FromResult(new VolumeUpdate($"/v/{volume.Id}"));

        public Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) => Task.FromResult(new VolumeUpdate($"/v/{volume.Id}"));

        public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
