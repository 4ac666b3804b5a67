using Kiln.Server.Configuration;
using Kiln.Server.Health;
using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// How each engine's refusals are told apart: a unique key lost to another writer is a duplicate, a foreign
/// key is not; a refused insert under a savepoint leaves the transaction usable (PostgreSQL aborts it
/// otherwise, SQLSTATE 25P02).
/// </summary>
public class ConflictTests
{
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UniqueViolations_DuplicateKeyAndForeignKey_OnlyTheDuplicateCounts()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var contexts = database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>();

        var duplicate = await SaveAsync(contexts, db => db.AvailabilityZones.Add(new AvailabilityZoneEntity { Name = "zone-a" }));
        var foreignKey = await SaveAsync(contexts, db => db.VolumeTypeExtraSpecs.Add(new VolumeTypeExtraSpecEntity { VolumeTypeId = "no-such-type", Key = "k", Value = "v" }));

        UniqueViolations.Is(duplicate).ShouldBeTrue(duplicate.ToString());
        UniqueViolations.Is(foreignKey).ShouldBeFalse(foreignKey.ToString());
    }

    [Fact]
    public async Task TrySaveChangesAsync_DuplicateThenMoreWork_TheTransactionGoesOn()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var writer = database.Services.GetRequiredService<DatabaseWriter>();

        var refused = await writer.RunAsync(
            async (db, ct) =>
            {
                db.AvailabilityZones.Add(new AvailabilityZoneEntity { Name = "zone-a" });
                var refusal = await Savepoints.TrySaveChangesAsync(db, ct);
                db.AvailabilityZones.Add(new AvailabilityZoneEntity { Name = "after-the-refusal" });
                await db.SaveChangesAsync(ct);
                return refusal;
            },
            Cancel);

        refused.ShouldNotBeNull();
        (await database.Zones.ListAsync(Cancel)).Select(z => z.Name).ShouldBe(["after-the-refusal", "zone-a"]);
    }

    private static async Task<DbUpdateException> SaveAsync(IDbContextFactory<KilnDbContext> contexts, Action<KilnDbContext> change)
    {
        await using var db = await contexts.CreateDbContextAsync(Cancel);
        change(db);
        return await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Cancel));
    }
}

/// <summary>The same on PostgreSQL, plus what only a server with row locks does: deadlocks, and a server that is down.</summary>
public sealed class ConflictPostgreSqlTests : ConflictTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;

    [Fact]
    public async Task RunAsync_TwoWritesDeadlock_TheVictimRunsAgainAndBothCommit()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.Zones.EnsureAsync("first", Cancel);
        await database.Zones.EnsureAsync("second", Cancel);
        var writer = database.Services.GetRequiredService<DatabaseWriter>();
        var locked = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var attempts = new int[2];

        // Each locks one row, waits until the other holds its row (first attempt only), then wants the other's row.
        Task Write(int me, string mine, string theirs) => writer.RunAsync(
            async (db, ct) =>
            {
                await TouchAsync(db, mine, ct);
                if (Interlocked.Increment(ref attempts[me]) == 1)
                {
                    locked[me].SetResult();
                    await locked[1 - me].Task.WaitAsync(ct);
                }

                await TouchAsync(db, theirs, ct);
            },
            Cancel);

        await Task.WhenAll(Write(0, "first", "second"), Write(1, "second", "first")).WaitAsync(TimeSpan.FromSeconds(60), Cancel);

        writer.ConflictRetries.ShouldBe(1);
        (attempts[0] + attempts[1]).ShouldBe(3);
    }

    [Fact]
    public async Task Describe_ServerNotListening_IsDatabaseUnavailable()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        var environment = new Dictionary<string, string>
        {
            ["KILN__DEFAULT__state_path"] = Path.GetTempPath(),
            ["KILN__database__connection"] = "postgresql://postgres@127.0.0.1:1/kiln",
        };
        await using var services = new ServiceCollection().AddKilnPersistence(KilnConfigurationLoader.Load(null, environment)).BuildServiceProvider();

        var error = await Should.ThrowAsync<Exception>(() => services.GetRequiredService<IDatabasePing>().PingAsync(Cancel));

        DatabaseWriteHealth.Describe(error).ShouldBe(DatabaseWriteHealth.DatabaseUnavailable);
    }

    private static Task<int> TouchAsync(KilnDbContext db, string zone, CancellationToken ct) =>
        db.AvailabilityZones.Where(z => z.Name == zone).ExecuteUpdateAsync(set => set.SetProperty(z => z.CreatedAt, z => z.CreatedAt), ct);
}
