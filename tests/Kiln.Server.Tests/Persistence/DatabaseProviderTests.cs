using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

public sealed class DatabaseProviderTests
{
    private const string StatePath = "/var/lib/kiln";

    [Theory]
    [InlineData(null, "/var/lib/kiln/kiln.db")]
    [InlineData("", "/var/lib/kiln/kiln.db")]
    [InlineData("   ", "/var/lib/kiln/kiln.db")]
    [InlineData("sqlite:///rel.db", "/var/lib/kiln/rel.db")]
    [InlineData("sqlite:///sub/dir/kiln.db", "/var/lib/kiln/sub/dir/kiln.db")]
    [InlineData("sqlite:///../elsewhere.db", "/var/lib/elsewhere.db")]
    [InlineData("sqlite:////abs/path.db", "/abs/path.db")]
    [InlineData("SQLite:////abs/upper-case-scheme.db", "/abs/upper-case-scheme.db")]
    public void FromConnection_SqliteOrNothing_IsThatFile(string? connection, string expectedPath)
    {
        var provider = DatabaseProvider.FromConnection(connection, StatePath).ShouldBeOfType<SqliteDatabaseProvider>();

        provider.FilePath.ShouldBe(expectedPath);
        provider.Description.ShouldBe($"SQLite {expectedPath}");
    }

    [Theory]
    [InlineData("postgresql://kiln:s3cret@db.example/kiln", "db.example", 5432, "kiln")]
    [InlineData("postgresql+psycopg2://kiln:s3cret@db.example:6543/cinder", "db.example", 6543, "cinder")]
    [InlineData("PostgreSQL://kiln:s3cret@10.0.0.5/kiln", "10.0.0.5", 5432, "kiln")]
    [InlineData("postgres://kiln:s3cret@db.example/kiln", "db.example", 5432, "kiln")]
    public void FromConnection_PostgreSql_IsThatServerAndKeepsThePasswordOut(string connection, string host, int port, string database)
    {
        var provider = DatabaseProvider.FromConnection(connection, StatePath).ShouldBeOfType<Kiln.Persistence.PostgreSql.PostgreSqlDatabaseProvider>();

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(provider.ConnectionString);
        (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password).ShouldBe((host, port, database, "kiln", "s3cret"));
        provider.Description.ShouldBe($"PostgreSQL {database} on {host}:{port}");
        provider.AutoMigrateByDefault.ShouldBeFalse();
    }

    [Fact]
    public void FromConnection_PostgreSqlOptions_AreLibpqs()
    {
        var provider = DatabaseProvider.FromConnection(
            "postgresql://kiln:p%40ss@/kiln?host=/run/postgresql&sslmode=verify-full&connect_timeout=7&application_name=kiln-api-1", StatePath);

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(((Kiln.Persistence.PostgreSql.PostgreSqlDatabaseProvider)provider).ConnectionString);
        (builder.Host, builder.Password, builder.SslMode, builder.Timeout, builder.ApplicationName)
            .ShouldBe(("/run/postgresql", "p@ss", Npgsql.SslMode.VerifyFull, 7, "kiln-api-1"));
    }

    [Theory]
    [InlineData("postgresql://kiln:s3cret@db.example/", "the database name is missing")]
    [InlineData("postgresql://kiln:s3cret@db.example/kiln?pool=9", "the URL option 'pool' is not supported")]
    [InlineData("postgresql://kiln:s3cret@db.example/kiln?sslmode=sometimes", "sslmode=sometimes is not one of")]
    public void FromConnection_UnusablePostgreSqlUrl_IsRefusedWithoutThePassword(string connection, string expected)
    {
        var error = Should.Throw<KilnConfigurationException>(() => DatabaseProvider.FromConnection(connection, StatePath));

        error.Message.ShouldStartWith("[database] connection (postgresql) is invalid: " + expected);
        error.Message.ShouldNotContain("s3cret");
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "false", false)]
    [InlineData("postgresql://kiln@db/kiln", null, false)]
    [InlineData("postgresql://kiln@db/kiln", "true", true)]
    public void AddKilnPersistence_AutoMigrate_IsTheOptionOrTheEnginesDefault(string? connection, string? autoMigrate, bool expected)
    {
        var environment = new Dictionary<string, string>();
        if (connection is not null)
        {
            environment["KILN__database__connection"] = connection;
        }

        if (autoMigrate is not null)
        {
            environment["KILN__database__auto_migrate"] = autoMigrate;
        }

        using var services = new ServiceCollection().AddKilnPersistence(KilnConfigurationLoader.Load(null, environment)).BuildServiceProvider();

        services.GetRequiredService<DatabaseSchemaOptions>().AutoMigrate.ShouldBe(expected);
    }

    [Theory]
    [InlineData("mysql+pymysql://kiln:s3cret@db/kiln", "[database] connection: the scheme 'mysql+pymysql' is not supported; expected sqlite:///<path>")]
    [InlineData("kiln.db", "[database] connection: a value without a scheme is not supported; expected sqlite:///<path>")]
    [InlineData("sqlite://", "[database] connection = 'sqlite://' is invalid: expected sqlite:///<path relative to state_path> or sqlite:////<absolute path>")]
    [InlineData("sqlite:/kiln.db", "[database] connection = 'sqlite:/kiln.db' is invalid: expected sqlite:///<path relative to state_path>")]
    [InlineData("sqlite:///", "[database] connection = 'sqlite:///' is invalid: the file path is missing")]
    [InlineData("sqlite:///kiln.db?timeout=5", "[database] connection = 'sqlite:///kiln.db?timeout=5' is invalid: URL query options are not supported")]
    public void FromConnection_UnusableValue_IsRefusedWithOneClearLine(string connection, string expectedStart)
    {
        var error = Should.Throw<KilnConfigurationException>(() => DatabaseProvider.FromConnection(connection, StatePath));

        error.Message.ShouldStartWith(expectedStart);
        error.Message.ShouldNotContain("s3cret");
    }

    [Fact]
    public void Sqlite_ConnectionString_TurnsOnForeignKeysAndABusyTimeout()
    {
        var provider = new SqliteDatabaseProvider("/tmp/x/kiln.db");

        var builder = new SqliteConnectionStringBuilder(provider.ConnectionString);
        builder.DataSource.ShouldBe("/tmp/x/kiln.db");
        builder.ForeignKeys.ShouldBe(true);
        builder.DefaultTimeout.ShouldBe(SqliteDatabaseProvider.BusyTimeoutSeconds);
        builder.Mode.ShouldBe(SqliteOpenMode.ReadWriteCreate);
    }

    [Theory]
    [InlineData(null, 2L)]
    [InlineData("false", 1L)]
    public async Task Sqlite_EveryConnection_HasTheConfiguredSynchronousMode(string? sqliteSynchronous, long expected)
    {
        var directory = Directory.CreateTempSubdirectory("kiln-sync-");
        try
        {
            var environment = new Dictionary<string, string> { ["KILN__DEFAULT__state_path"] = directory.FullName };
            if (sqliteSynchronous is not null)
            {
                environment["KILN__database__sqlite_synchronous"] = sqliteSynchronous;
            }

            await using var services = new ServiceCollection().AddKilnPersistence(KilnConfigurationLoader.Load(null, environment)).BuildServiceProvider();
            await PersistenceSetup.MigrateAsync(services, TestContext.Current.CancellationToken);
            var factory = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<KilnDbContext>>();
            await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
            var connection = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.OpenConnectionAsync(db.Database, TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";

            (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(expected);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
