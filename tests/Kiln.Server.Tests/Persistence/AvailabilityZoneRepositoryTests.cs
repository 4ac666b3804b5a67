using Kiln.Server.Persistence;

namespace Kiln.Server.Tests.Persistence;

public class AvailabilityZoneRepositoryTests
{
    /// <summary>The engine these tests run on; <see cref="AvailabilityZoneRepositoryPostgreSqlTests"/> runs them all on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureAsync_KnownAndNewZones_RecordsEachOnceWithItsFirstTime()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        database.Time.Advance(TimeSpan.FromMinutes(1));

        await database.Zones.EnsureAsync("zone-b", Cancel);
        database.Time.Advance(TimeSpan.FromMinutes(1));
        await database.Zones.EnsureAsync("zone-b", Cancel);
        await database.Zones.EnsureAsync("zone-a", Cancel);

        (await database.Zones.ListAsync(Cancel)).ShouldBe(
        [
            new StoredAvailabilityZone("zone-a", TestDatabase.Start),
            new StoredAvailabilityZone("zone-b", TestDatabase.Start.AddMinutes(1)),
        ]);
    }

    [Fact]
    public async Task EnsureAsync_Concurrent_RecordsTheZoneOnce()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        await Race.RunAsync(8, _ => database.Zones.EnsureAsync("zone-c", Cancel));

        (await database.Zones.ListAsync(Cancel)).Select(z => z.Name).ShouldBe(["zone-a", "zone-c"]);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class AvailabilityZoneRepositoryPostgreSqlTests : AvailabilityZoneRepositoryTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
