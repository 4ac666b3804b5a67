using System.Data.Common;
using System.Globalization;
using Kiln.Server.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kiln.Server.Persistence;

/// <summary>
/// The embedded default: one SQLite file in WAL mode, so readers never wait for the writer, with
/// foreign keys on and a busy timeout so concurrent writers queue instead of failing.
/// Every SQLite-specific line of Kiln lives in this file.
/// </summary>
internal sealed class SqliteDatabaseProvider : DatabaseProvider
{
    public const string Scheme = "sqlite:";

    public const string DefaultFileName = "kiln.db";

    /// <summary>How long a writer waits for the write lock before "database is locked" (Microsoft.Data.Sqlite's Default Timeout, in seconds).</summary>
    public const int BusyTimeoutSeconds = 30;

    private const string UrlPrefix = "sqlite:///";

    private readonly ConnectionSetup connectionSetup;

    /// <param name="filePath">The database file.</param>
    /// <param name="synchronous">
    /// <c>PRAGMA synchronous = FULL</c> (every commit waits for the disk) when true, <c>NORMAL</c> when
    /// false: in WAL mode NORMAL syncs only at checkpoints, so a power loss may roll back the last
    /// commits but never corrupts the file, and a crash of Kiln alone loses nothing.
    /// </param>
    public SqliteDatabaseProvider(string filePath, bool synchronous = true)
    {
        FilePath = Path.GetFullPath(filePath);
        connectionSetup = new ConnectionSetup(synchronous);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = true,
        }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public override string Description => $"SQLite {FilePath}";

    /// <summary>
    /// Reads a SQLAlchemy-style URL as Cinder does: <c>sqlite:////abs/kiln.db</c> is <c>/abs/kiln.db</c>,
    /// <c>sqlite:///kiln.db</c> is relative (here to <paramref name="statePath"/>); null or empty is <c>&lt;state_path&gt;/kiln.db</c>.
    /// </summary>
    public static SqliteDatabaseProvider FromUrl(string? connection, string statePath, bool synchronous = true)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return new SqliteDatabaseProvider(Path.Combine(statePath, DefaultFileName), synchronous);
        }

        if (!connection.StartsWith(UrlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // sqlite:// alone is SQLAlchemy's in-memory database: every volume would vanish at exit.
            throw Invalid(connection, "expected sqlite:///<path relative to state_path> or sqlite:////<absolute path>");
        }

        var path = connection[UrlPrefix.Length..];
        if (path.Length == 0)
        {
            throw Invalid(connection, "the file path is missing (an in-memory database would lose every volume at exit)");
        }

        if (path.Contains('?', StringComparison.Ordinal))
        {
            throw Invalid(connection, "URL query options are not supported; Kiln sets the SQLite options itself");
        }

        return new SqliteDatabaseProvider(Path.GetFullPath(path, statePath), synchronous);
    }

    public override bool HasSingleWriter => true;

    // The compiled model (eng/ef-compiled-models.sh) spares each start building the model from OnModelCreating.
    public override void Configure(DbContextOptionsBuilder options) =>
        options.UseSqlite(ConnectionString).UseModel(CompiledModel.KilnDbContextModel.Instance).AddInterceptors(connectionSetup);

    public override async Task PrepareAsync(KilnDbContext db, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);

        // WAL is a property of the file, so setting it once at start is enough for every connection.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets SQLite's own busy timeout and the synchronous mode on every connection (both are
    /// per-connection settings). Microsoft.Data.Sqlite's Default Timeout alone retries a locked write
    /// only every 150 ms; SQLite's busy handler retries within milliseconds, so writers in other
    /// processes queue without stalling (this process's own writers queue in <see cref="DatabaseWriter"/>).
    /// </summary>
    private sealed class ConnectionSetup(bool synchronous) : DbConnectionInterceptor
    {
        private readonly string pragma = string.Create(
            CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA synchronous = {(synchronous ? "FULL" : "NORMAL")};");

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        // Synchronous even on the async path: Microsoft.Data.Sqlite runs every command synchronously.
        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
    }

    private static KilnConfigurationException Invalid(string connection, string expected) =>
        new($"[database] connection = '{connection}' is invalid: {expected}");
}
