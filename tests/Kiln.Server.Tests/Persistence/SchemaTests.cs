using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// Where the schema stands against this Kiln's migrations, on each engine: a node refuses a schema newer
/// than it knows, <c>kiln db sync</c> (<see cref="PersistenceSetup.SyncAsync"/>) says what it applied, and
/// the engine's migrations build the model exactly (a model change without a migration for it fails here).
/// </summary>
public class SchemaTests
{
    private const string FutureMigration = "29991231235959_FromANewerKiln";

    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanKnown_RefusesNamingTheUnknownMigration()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await database.QueryAsync($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{FutureMigration}', '10.0.0')");

        var serve = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync);
        var sync = await Should.ThrowAsync<DatabaseSchemaException>(() => PersistenceSetup.SyncAsync(database.Services, Cancel));

        serve.Message.ShouldContain($"newer than this Kiln: it has 1 migration(s) this Kiln does not know ({FutureMigration};");
        sync.Message.ShouldBe(serve.Message);
    }

    [Fact]
    public async Task SyncAsync_UpToDate_AppliesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);

        (await PersistenceSetup.SyncAsync(database.Services, Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SyncAsync_EmptyDatabase_AppliesEveryMigrationInOrderAndSeeds()
    {
        await using var database = await TestDatabase.CreateAsync(Engine, migrate: false);
        Directory.CreateDirectory(database.StatePath);
        await using var db = await Contexts(database).CreateDbContextAsync(Cancel);

        var applied = await PersistenceSetup.SyncAsync(database.Services, Cancel);

        applied.ShouldBe(db.Database.GetMigrations().ToList());
        applied.Count.ShouldBeGreaterThan(0);
        (await database.QueryAsync("SELECT name FROM volume_types")).ShouldBe(["__DEFAULT__"]);
    }

    [Fact]
    public async Task Migrations_BuildTheModelExactly_NoPendingModelChanges()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        await using var db = await Contexts(database).CreateDbContextAsync(Cancel);

        // A new entity or column needs a migration for every engine (docs/deployment/postgresql.md says how).
        db.Database.HasPendingModelChanges().ShouldBeFalse($"the {Engine} migrations do not match the model: add a migration for {Engine}");
    }

    private protected static IDbContextFactory<KilnDbContext> Contexts(TestDatabase database) =>
        database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>();

    /// <summary>Kiln's persistence on the database of <paramref name="database"/> with the given options, as another node would have it.</summary>
    private protected static ServiceProvider Node(TestDatabase database, IReadOnlyDictionary<string, string> options)
    {
        var environment = new Dictionary<string, string>(options) { ["KILN__DEFAULT__state_path"] = database.StatePath };
        if (database.Connection is { } connection)
        {
            environment["KILN__database__connection"] = connection;
        }

        return new ServiceCollection().AddKilnPersistence(KilnConfigurationLoader.Load(null, environment)).BuildServiceProvider();
    }
}

/// <summary>The same on PostgreSQL, and what only PostgreSQL does: no migration at serve by default.</summary>
public sealed class SchemaPostgreSqlTests : SchemaTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_PostgreSqlSchemaBehindAndAutoMigrateUnset_RefusesUntilDbSync()
    {
        await using var database = await TestDatabase.CreateAsync(Engine, migrate: false);
        await using var node = Node(database, new Dictionary<string, string>());

        var refused = await Should.ThrowAsync<DatabaseSchemaException>(() => PersistenceSetup.MigrateAsync(node, Cancel));
        (await database.QueryAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'volumes'")).ShouldBe(["0"]);
        var applied = await PersistenceSetup.SyncAsync(node, Cancel);
        await PersistenceSetup.MigrateAsync(node, Cancel);

        refused.Message.ShouldContain("is behind this Kiln");
        refused.Message.ShouldContain("Run `kiln db sync`");
        refused.Message.ShouldContain(applied[0]);
        (await database.QueryAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'volumes'")).ShouldBe(["1"]);
    }
}
