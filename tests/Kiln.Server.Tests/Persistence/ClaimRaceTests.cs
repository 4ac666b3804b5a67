using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// The repository writes that claim a volume, snapshot or type, raced in pairs on real threads: of a
/// claim that adds a dependent and a claim that needs none, exactly one wins, every time, and the rows
/// agree with the winner. Before, each decided on what it had read before the other's write.
/// </summary>
public class ClaimRaceTests
{
    /// <summary>The engine these tests run on; <see cref="ClaimRacePostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private const int Iterations = 50;

    private static readonly VolumeStatus[] Deletable = [VolumeStatus.Available, VolumeStatus.Error];

    private static readonly QuotaCheck NoLimits = new(new QuotaLimits(new Dictionary<string, int>()), new Dictionary<string, string>(), NoSnapshotGigabytes: false);

    private static int pairs;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BeginDeleteAndAddSnapshot_Raced_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var quotas = database.Services.GetRequiredService<IQuotaStore>();
        for (var i = 0; i < Iterations; i++)
        {
            await database.Volumes.AddAsync(Plain($"v{i}"), Cancel);

            var (deleted, snapshotted) = await PairAsync(
                async () => (await database.Volumes.TryBeginDeleteAsync($"v{i}", Deletable, Cancel)).Deleting is not null,
                async () => (await quotas.AddSnapshotAsync(Samples.Snapshot($"s{i}", $"v{i}"), [], NoLimits, Cancel)).Conflict == InsertConflict.None);

            (deleted ^ snapshotted).ShouldBeTrue($"iteration {i}: delete {deleted}, snapshot {snapshotted}");
            var volume = await database.Volumes.FindAsync($"v{i}", Cancel);
            volume!.Status.ShouldBe(deleted ? VolumeStatus.Deleting : VolumeStatus.Available);
            (await database.Snapshots.ListByVolumeAsync($"v{i}", Cancel)).Count.ShouldBe(deleted ? 0 : 1);
        }
    }

    [Fact]
    public async Task BeginDeleteAndAddClone_Raced_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var quotas = database.Services.GetRequiredService<IQuotaStore>();
        for (var i = 0; i < Iterations; i++)
        {
            await database.Volumes.AddAsync(Plain($"v{i}"), Cancel);

            var (deleted, cloned) = await PairAsync(
                async () => (await database.Volumes.TryBeginDeleteAsync($"v{i}", Deletable, Cancel)).Deleting is not null,
                async () => (await quotas.AddVolumeAsync(Plain($"c{i}", VolumeStatus.Creating) with { SourceVolumeId = $"v{i}" }, [], NoLimits, Cancel)).Conflict == InsertConflict.None);

            (deleted ^ cloned).ShouldBeTrue($"iteration {i}: delete {deleted}, clone {cloned}");
            (await database.Volumes.FindAsync($"c{i}", Cancel) is not null).ShouldBe(cloned);
        }
    }

    [Fact]
    public async Task BeginSnapshotDeleteAndAddVolumeFromIt_Raced_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var quotas = database.Services.GetRequiredService<IQuotaStore>();
        await database.Volumes.AddAsync(Plain("v"), Cancel);
        for (var i = 0; i < Iterations; i++)
        {
            await database.Snapshots.AddAsync(Samples.Snapshot($"s{i}", "v"), Cancel);

            var (deleted, created) = await PairAsync(
                async () => (await database.Snapshots.TryBeginDeleteAsync($"s{i}", [SnapshotStatus.Available], Cancel)).Deleting is not null,
                async () => (await quotas.AddVolumeAsync(Plain($"n{i}", VolumeStatus.Creating) with { SourceSnapshotId = $"s{i}" }, [], NoLimits, Cancel)).Conflict == InsertConflict.None);

            (deleted ^ created).ShouldBeTrue($"iteration {i}: delete {deleted}, create {created}");
            (await database.Snapshots.FindAsync($"s{i}", Cancel))!.Status.ShouldBe(deleted ? SnapshotStatus.Deleting : SnapshotStatus.Available);
        }
    }

    [Fact]
    public async Task RemoveTypeAndAddVolumeOfIt_Raced_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var quotas = database.Services.GetRequiredService<IQuotaStore>();
        for (var i = 0; i < Iterations; i++)
        {
            await database.Types.TryAddAsync(new VolumeType { Id = $"t{i}", Name = $"type-{i}" }, Cancel);

            var (removed, created) = await PairAsync(
                async () => await database.Types.RemoveAsync($"t{i}", Cancel) == TypeWriteOutcome.Done,
                async () => (await quotas.AddVolumeAsync(Plain($"v{i}", VolumeStatus.Creating) with { VolumeTypeId = $"t{i}" }, [], NoLimits, Cancel)).Conflict == InsertConflict.None);

            (removed ^ created).ShouldBeTrue($"iteration {i}: type removed {removed}, volume created {created}");
            (await database.Types.FindStoredAsync($"t{i}", Cancel) is null).ShouldBe(removed);
        }
    }

    [Fact]
    public async Task TypeWrites_TypeInUse_RefusedAndUnchanged()
    {
        // The race of a spec change with a create is in ConcurrentRequestsTests (only placement shows
        // which went first); here, the refusal itself, which the same locked transaction decides.
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Types.TryAddAsync(new VolumeType { Id = "t", Name = "gold", ExtraSpecs = new Dictionary<string, string> { ["k"] = "v" } }, Cancel);
        await database.Volumes.AddAsync(Plain("v") with { VolumeTypeId = "t" }, Cancel);

        (await database.Types.SetExtraSpecsAsync("t", new Dictionary<string, string> { ["k"] = "w" }, Cancel)).Outcome.ShouldBe(TypeWriteOutcome.InUse);
        (await database.Types.UnsetExtraSpecAsync("t", "k", Cancel)).ShouldBe(TypeWriteOutcome.InUse);
        (await database.Types.RemoveAsync("t", Cancel)).ShouldBe(TypeWriteOutcome.InUse);

        (await database.Types.FindStoredAsync("t", Cancel))!.ExtraSpecs.ShouldBe(new Dictionary<string, string> { ["k"] = "v" });
    }

    [Fact]
    public async Task TryBeginDeleteAsync_WithSnapshot_RefusedWithTheCountAndUnchanged()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Plain("v"), Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s", "v"), Cancel);

        var claim = await database.Volumes.TryBeginDeleteAsync("v", Deletable, Cancel);

        claim.ShouldBe(new DeleteClaim<Volume>(null, Snapshots: 1));
        (await database.Volumes.FindAsync("v", Cancel))!.Status.ShouldBe(VolumeStatus.Available);
    }

    [Fact]
    public async Task TryBeginDeleteAsync_WrongStatusOrGone_NothingClaimedNoDependents()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Volumes.AddAsync(Plain("v", VolumeStatus.Extending), Cancel);

        (await database.Volumes.TryBeginDeleteAsync("v", Deletable, Cancel)).ShouldBe(new DeleteClaim<Volume>(null));
        (await database.Volumes.TryBeginDeleteAsync("gone", Deletable, Cancel)).ShouldBe(new DeleteClaim<Volume>(null));
        (await database.Volumes.FindAsync("v", Cancel))!.Status.ShouldBe(VolumeStatus.Extending);
    }

    private static Volume Plain(string id, VolumeStatus status = VolumeStatus.Available) =>
        Samples.Volume(id, status: status) with { SourceSnapshotId = null, SourceVolumeId = null, VolumeTypeId = null };

    /// <summary>
    /// Runs the two claims together. The last racer to reach the barrier goes on without waking up, so
    /// it nearly always writes first: the racers swap places on every call so that both orders are tried.
    /// </summary>
    private static async Task<(bool First, bool Second)> PairAsync(Func<Task<bool>> first, Func<Task<bool>> second)
    {
        var swap = Interlocked.Increment(ref pairs) % 2 == 0;
        var results = await Race.RunAsync(2, i => (i == 0) ^ swap ? first() : second());
        return swap ? (results[1], results[0]) : (results[0], results[1]);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class ClaimRacePostgreSqlTests : ClaimRaceTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
