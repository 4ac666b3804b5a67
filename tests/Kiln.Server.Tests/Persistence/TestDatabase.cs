using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Persistence;

/// <summary>Kiln's real persistence on a SQLite file in its own temporary directory, migrated, on a fake clock.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo directory;

    private TestDatabase(DirectoryInfo directory, ServiceProvider services, FakeTimeProvider time)
    {
        this.directory = directory;
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The state_path (not created until the database is migrated).</summary>
    public string StatePath => Path.Combine(directory.FullName, "state");

    public string DatabasePath => Path.Combine(StatePath, "kiln.db");

    public IVolumeRepository Volumes => Services.GetRequiredService<IVolumeRepository>();

    public ISnapshotRepository Snapshots => Services.GetRequiredService<ISnapshotRepository>();

    public IVolumeTypeRepository Types => Services.GetRequiredService<IVolumeTypeRepository>();

    internal IServiceRepository ServiceRecords => Services.GetRequiredService<IServiceRepository>();

    internal IAvailabilityZoneRepository Zones => Services.GetRequiredService<IAvailabilityZoneRepository>();

    /// <summary>A new database, migrated unless <paramref name="migrate"/> is false.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var directory = Directory.CreateTempSubdirectory("kiln-db-");
        var database = new TestDatabase(directory, BuildServices(Path.Combine(directory.FullName, "state"), out var time), time);
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    /// <summary>Another process's view of the same state_path: its own services, pools and clock.</summary>
    public ServiceProvider OpenAgain() => BuildServices(StatePath, out _);

    /// <summary>Another process's view of the same state_path, with its clock.</summary>
    public ServiceProvider OpenAgain(out FakeTimeProvider time) => BuildServices(StatePath, out time);

    public Task MigrateAsync() => PersistenceSetup.MigrateAsync(Services, TestContext.Current.CancellationToken);

    /// <summary>Runs one SQL query on the file, bypassing Kiln, and returns the first column of each row.</summary>
    public async Task<List<string?>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
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

        // Pooled connections keep the file open; close them before removing the directory.
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    private static ServiceProvider BuildServices(string statePath, out FakeTimeProvider time)
    {
        var configuration = KilnConfigurationLoader.Load(null, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__state_path"] = statePath,
            ["KILN__DEFAULT__storage_availability_zone"] = "zone-a",
        });
        time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddKilnPersistence(configuration);
        return services.BuildServiceProvider();
    }
}
