using Kiln.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// The database engine that <c>[database] connection</c> names, and everything specific to it. The
/// rest of Kiln's persistence is engine-neutral, so PostgreSQL arrives as one more subclass.
/// </summary>
internal abstract class DatabaseProvider
{
    /// <summary>What the database is, for the start-up log; never includes credentials.</summary>
    public abstract string Description { get; }

    public abstract void Configure(DbContextOptionsBuilder options);

    /// <summary>Whether the engine takes one writer at a time, so this process queues its own writes and commits them in groups (<see cref="DatabaseWriter"/>).</summary>
    public virtual bool HasSingleWriter => false;

    /// <summary>
    /// Whether <c>kiln serve</c> applies pending migrations at start when <c>[database] auto_migrate</c> is
    /// unset: yes for an embedded database (nothing else could), no for a shared server, whose schema moves
    /// once with <c>kiln db sync</c> rather than whenever some node happens to start.
    /// </summary>
    public virtual bool AutoMigrateByDefault => true;

    /// <summary>Runs once at start, before migrations (create directories, set the journal mode).</summary>
    public abstract Task PrepareAsync(KilnDbContext db, CancellationToken cancellationToken);

    /// <summary>The provider for <paramref name="connection"/>; null or empty is the embedded SQLite file under <paramref name="statePath"/>.</summary>
    /// <exception cref="KilnConfigurationException">The connection names an engine Kiln does not support.</exception>
    public static DatabaseProvider FromConnection(string? connection, string statePath, bool sqliteSynchronous = true)
    {
        if (string.IsNullOrWhiteSpace(connection) || connection.StartsWith(SqliteDatabaseProvider.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return SqliteDatabaseProvider.FromUrl(connection, statePath, sqliteSynchronous);
        }

        if (IsPostgreSql(connection))
        {
            return LoadEngine(PostgreSqlEngine, "PostgreSQL").Create(connection);
        }

        // Only the scheme is repeated: the rest of a database URL may hold a password.
        var colon = connection.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? $"the scheme '{connection[..colon]}'" : "a value without a scheme";
        throw new KilnConfigurationException(
            $"[database] connection: {scheme} is not supported; expected sqlite:///<path> (or leave the option unset for <state_path>/kiln.db) or postgresql://<user>:<password>@<host>:<port>/<database>");
    }

    /// <summary>The PostgreSQL engine, loaded by name so that Kiln.Server does not depend on Npgsql (as EF Core loads a migrations assembly).</summary>
    internal const string PostgreSqlEngine = "Kiln.Persistence.PostgreSql.PostgreSqlEngine, Kiln.Persistence.PostgreSql";

    // SQLAlchemy's spellings, as in Cinder's configuration: postgresql://, postgresql+psycopg2://, and the postgres:// alias.
    private static bool IsPostgreSql(string connection) =>
        connection.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase)
        || connection.StartsWith("postgresql+", StringComparison.OrdinalIgnoreCase)
        || connection.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase);

    private static IDatabaseEngine LoadEngine(string typeName, string engine)
    {
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new KilnConfigurationException(
                $"[database] connection: {engine} support ({typeName[(typeName.IndexOf(',', StringComparison.Ordinal) + 2)..]}.dll) is not installed beside Kiln");
        return (IDatabaseEngine)Activator.CreateInstance(type)!;
    }
}
