using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Persistence;

/// <summary>The database engines the persistence tests run on.</summary>
public enum TestEngine
{
    Sqlite,

    /// <summary>A database of its own on the run's <see cref="PostgreSqlServer"/>.</summary>
    PostgreSql,
}

/// <summary>
/// Kiln's real persistence, migrated, on a fake clock: on a SQLite file in its own temporary directory, or
/// on a PostgreSQL database of its own (<see cref="PostgreSqlServer"/>).
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo directory;

    private TestDatabase(DirectoryInfo directory, string? connection, ServiceProvider services, FakeTimeProvider time)
    {
        this.directory = directory;
        Connection = connection;
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }

    /// <summary>The <c>[database] connection</c> URL, or null for SQLite under <see cref="StatePath"/>.</summary>
    public string? Connection { get; }

    /// <summary>For PostgreSQL: the Npgsql connection string of this test's database.</summary>
    public string? PostgreSqlConnectionString { get; private init; }

    public TestEngine Engine => Connection is null ? TestEngine.Sqlite : TestEngine.PostgreSql;

    public FakeTimeProvider Time { get; }

    /// <summary>The state_path (not created until the database is migrated).</summary>
    public string StatePath => Path.Combine(directory.FullName, "state");

    public string DatabasePath => Path.Combine(StatePath, "kiln.db");

    public IVolumeRepository Volumes => Services.GetRequiredService<IVolumeRepository>();

    public ISnapshotRepository Snapshots => Services.GetRequiredService<ISnapshotRepository>();

    public IVolumeTypeRepository Types => Services.GetRequiredService<IVolumeTypeRepository>();

    internal IServiceRepository ServiceRecords => Services.GetRequiredService<IServiceRepository>();

    internal IAvailabilityZoneRepository Zones => Services.GetRequiredService<IAvailabilityZoneRepository>();

    /// <summary>A new SQLite database, migrated unless <paramref name="migrate"/> is false.</summary>
    public static Task<TestDatabase> CreateAsync(bool migrate = true) => CreateAsync(TestEngine.Sqlite, migrate);

    /// <summary>A new database on <paramref name="engine"/>, migrated unless <paramref name="migrate"/> is false.</summary>
    public static async Task<TestDatabase> CreateAsync(TestEngine engine, bool migrate = true)
    {
        var directory = Directory.CreateTempSubdirectory("kiln-db-");
        var statePath = Path.Combine(directory.FullName, "state");
        if (engine == TestEngine.PostgreSql)
        {
            // A copy of the run's migrated template: migrating each test's database would cost a second.
            var server = await PostgreSqlServer.GetAsync();
            var name = await server.CreateDatabaseAsync(migrated: migrate);
            var url = server.Url(name);
            return new TestDatabase(directory, url, BuildServices(statePath, url, out var pgTime), pgTime) { PostgreSqlConnectionString = server.ConnectionString(name) };
        }

        var database = new TestDatabase(directory, null, BuildServices(statePath, null, out var time), time);
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    /// <summary>Another process's view of the same database: its own services, pools and clock.</summary>
    public ServiceProvider OpenAgain() => BuildServices(StatePath, Connection, out _);

    /// <summary>Another process's view of the same database, with its clock.</summary>
    public ServiceProvider OpenAgain(out FakeTimeProvider time) => BuildServices(StatePath, Connection, out time);

    public Task MigrateAsync() => PersistenceSetup.MigrateAsync(Services, TestContext.Current.CancellationToken);

    /// <summary>Runs one SQL query on the database, bypassing Kiln, and returns the first column of each row.</summary>
    public async Task<List<string?>> QueryAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = PostgreSqlConnectionString is { } pg
            ? new Npgsql.NpgsqlConnection(pg)
            : new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string?>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();

        // Pooled connections keep the file open; close them before removing the directory. On PostgreSQL
        // they would hold server connections until the run ends.
        SqliteConnection.ClearAllPools();
        if (PostgreSqlConnectionString is { } pg)
        {
            await using var connection = new Npgsql.NpgsqlConnection(pg);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        directory.Delete(recursive: true);
    }

    private static ServiceProvider BuildServices(string statePath, string? connection, out FakeTimeProvider time)
    {
        var environment = new Dictionary<string, string>
        {
            ["KILN__DEFAULT__state_path"] = statePath,
            ["KILN__DEFAULT__storage_availability_zone"] = "zone-a",
        };
        if (connection is not null)
        {
            // Tests migrate as SQLite's do, at MigrateAsync (PostgreSQL's default leaves that to kiln db sync).
            environment["KILN__database__connection"] = connection;
            environment["KILN__database__auto_migrate"] = "true";
        }

        var configuration = KilnConfigurationLoader.Load(null, environment);
        time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddKilnPersistence(configuration);
        return services.BuildServiceProvider();
    }
}
