using Kiln.Core.Volumes;
using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

public sealed class MigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_NoStateDirectoryYet_CreatesTheFileWithEveryTable()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        Directory.Exists(database.StatePath).ShouldBeFalse();

        await database.MigrateAsync();

        File.Exists(database.DatabasePath).ShouldBeTrue();
        var tables = await database.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '__EF%' ORDER BY name");
        tables.ShouldBe([
            "availability_zones", "default_volume_types", "encryption", "group_snapshots", "group_type_specs", "group_types", "group_volume_type_mapping", "groups",
            "messages", "quality_of_service_specs", "quota_classes", "quota_locks", "quota_reservations",
            "quotas", "services", "snapshots", "transfers", "volume_attachment", "volume_type_extra_specs", "volume_type_projects", "volume_types", "volumes",
        ]);
        var applied = await database.QueryAsync("SELECT MigrationId FROM __EFMigrationsHistory");
        applied.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task MigrateAsync_Sqlite_UsesWalJournalForeignKeysAndABusyTimeout()
    {
        await using var database = await TestDatabase.CreateAsync();

        (await database.QueryAsync("PRAGMA journal_mode")).ShouldBe(["wal"]);
        var contexts = database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Cancel);
        (await db.Database.SqlQueryRaw<long>("PRAGMA foreign_keys").ToListAsync(Cancel)).ShouldBe([1L]);
        (await db.Database.SqlQueryRaw<long>("PRAGMA busy_timeout").ToListAsync(Cancel)).ShouldBe([30_000L]);
    }

    [Fact]
    public async Task MigrateAsync_EmptyFileAlreadyThere_CreatesTheSchemaInIt()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        Directory.CreateDirectory(database.StatePath);
        await File.WriteAllBytesAsync(database.DatabasePath, [], Cancel);

        await database.MigrateAsync();

        (await database.QueryAsync("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'volumes'")).ShouldBe(["1"]);
    }

    [Fact]
    public async Task MigrateAsync_SecondStartOnTheSameFile_ChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var defaultType = await database.Types.FindAsync(VolumeType.DefaultName, Cancel);
        await database.Volumes.AddAsync(Samples.Volume("v1"), Cancel);

        await using (var again = database.OpenAgain())
        {
            await PersistenceSetup.MigrateAsync(again, Cancel);
            await PersistenceSetup.MigrateAsync(again, Cancel);
        }

        (await database.QueryAsync("SELECT id FROM volume_types")).ShouldBe([defaultType!.Id]);
        (await database.QueryAsync("SELECT name FROM availability_zones")).ShouldBe(["zone-a"]);
        (await database.Volumes.FindAsync("v1", Cancel)).ShouldNotBeNull();
        var history = await database.QueryAsync("SELECT MigrationId FROM __EFMigrationsHistory");
        history.Count.ShouldBe(history.Distinct().Count());
    }

    [Fact]
    public async Task MigrateAsync_FirstStart_CreatesTheDefaultTypeAndTheZone()
    {
        await using var database = await TestDatabase.CreateAsync();

        var type = (await database.Types.ListAsync(Cancel)).ShouldHaveSingleItem();
        type.Name.ShouldBe("__DEFAULT__");
        type.Description.ShouldBe("Default Volume Type");
        type.IsPublic.ShouldBeTrue();
        type.ExtraSpecs.ShouldBeEmpty();
        (await database.Zones.ListAsync(Cancel)).ShouldBe([new StoredAvailabilityZone("zone-a", TestDatabase.Start)]);
    }

    [Fact]
    public async Task Migrations_CommittedSnapshot_MatchesTheModel()
    {
        // A model change without "dotnet ef migrations add" would leave the schema behind the code.
        await using var database = await TestDatabase.CreateAsync();
        var contexts = database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Cancel);

        db.Database.HasPendingModelChanges().ShouldBeFalse();
        (await db.Database.GetPendingMigrationsAsync(Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Schema_Volumes_HasCinderColumnNamesInSnakeCase()
    {
        await using var database = await TestDatabase.CreateAsync();

        var columns = await database.QueryAsync("SELECT name FROM pragma_table_info('volumes') ORDER BY name");

        columns.ShouldBe(
        [
            "admin_metadata", "availability_zone", "bootable", "created_at", "display_description", "display_name", "error_reason", "group_id", "host", "id", "metadata",
            "migration_status", "project_id", "provider_auth", "provider_id", "provider_location", "size", "snapshot_id", "source_volid", "status", "updated_at", "user_id", "volume_type_id",
        ]);
    }

    [Fact]
    public async Task Schema_StatusesAndTimestamps_AreStoredAsWireNamesAndFixedWidthUtcText()
    {
        await using var database = await TestDatabase.CreateAsync();
        var created = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1);
        await database.Volumes.AddAsync(Samples.Volume("v1", status: VolumeStatus.ErrorDeleting) with { CreatedAt = created }, Cancel);
        await database.Snapshots.AddAsync(Samples.Snapshot("s1", "v1", status: SnapshotStatus.ErrorDeleting), Cancel);

        (await database.QueryAsync("SELECT status FROM volumes")).ShouldBe(["error_deleting"]);
        (await database.QueryAsync("SELECT status FROM snapshots")).ShouldBe(["error_deleting"]);
        (await database.QueryAsync("SELECT created_at FROM volumes")).ShouldBe(["2026-03-04T03:06:07.0000001Z"]);
        (await database.QueryAsync("SELECT metadata FROM snapshots")).ShouldBe(["{\"kind\":\"daily\"}"]);
    }

    [Fact]
    public async Task Migration_TypesDifferingOnlyInCase_OldestKeepsTheNameOthersRenamed()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var contexts = database.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Kiln.Server.Persistence.KilnDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync(Cancel))
        {
            Directory.CreateDirectory(database.StatePath);
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database, "20261206172558_Quotas", Cancel);
        }

        foreach (var (id, name, at) in new[] { ("b-new", "Gold", "2026-01-02"), ("a-old", "gold", "2026-01-01"), ("c", "silver", "2026-01-03") })
        {
            await database.QueryAsync($"INSERT INTO volume_types (id, name, is_public, created_at) VALUES ('{id}', '{name}', 1, '{at}T00:00:00.0000000Z')");
        }

        await database.MigrateAsync();

        (await database.QueryAsync("SELECT name FROM volume_types WHERE id IN ('a-old', 'b-new', 'c') ORDER BY id")).ShouldBe(["gold", "Gold (b-new)", "silver"]);
    }
}
