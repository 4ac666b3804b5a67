using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Kiln.Server.Health;

/// <summary>
/// Whether the database takes this process's writes, as the <see cref="Persistence.DatabaseWriter"/> last
/// saw them. A full disk lets <c>SELECT 1</c> pass while every commit fails, so readiness needs the writes'
/// own outcome: without it <c>/healthz/ready</c> said "ok" while volumes could not leave <c>creating</c>.
/// Only failures of the database itself count (disk full, I/O, read-only, lost connection); a write refused
/// for its content (a constraint) says nothing about the database's health.
/// </summary>
public sealed class DatabaseWriteHealth
{
    /// <summary>The reason when the database server cannot be reached at all.</summary>
    public const string DatabaseUnavailable = "database unavailable";

    private volatile string? failure;

    /// <summary>Why writes fail now (<c>disk full</c>, …), or null when the last write was committed.</summary>
    public string? Failure => failure;

    /// <summary>A transaction was committed: the database takes writes again.</summary>
    public void Committed() => failure = null;

    /// <summary>Records <paramref name="exception"/> when it is a failure of the database; true if so.</summary>
    public bool Failed(Exception exception)
    {
        if (Describe(exception) is not { } reason)
        {
            return false;
        }

        failure = reason;
        return true;
    }

    /// <summary>A short, path-free reason for a failure of the database itself; null for any other exception.</summary>
    public static string? Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case Persistence.DatabaseFileLostException lost:
                    return $"database file {lost.How}";
                case SqliteException sqlite:
                    return (sqlite.SqliteErrorCode & 0xff) switch
                    {
                        13 => "disk full",
                        10 => "I/O error",
                        8 => "database is read-only",
                        14 => "database file cannot be opened",
                        11 or 26 => "database file is corrupt",
                        5 or 6 => "database is locked",
                        _ => null,
                    };
                case DbException { SqlState: { Length: 5 } state }:
                    // SQLSTATE classes: 53 insufficient resources (53100 disk full), 08 connection, 57 operator intervention, 58 system error.
                    return state switch
                    {
                        "53100" => "disk full",
                        _ when state.StartsWith("53", StringComparison.Ordinal) => "insufficient resources",
                        _ when state.StartsWith("08", StringComparison.Ordinal) => "connection lost",
                        _ when state.StartsWith("57", StringComparison.Ordinal) => "database shutting down",
                        _ when state.StartsWith("58", StringComparison.Ordinal) => "I/O error",
                        _ => null,
                    };
                case DbException { IsTransient: true }:
                    // No SQLSTATE: the server never answered (PostgreSQL down, connection refused, network).
                    return DatabaseUnavailable;
                case DbException:
                    return null;
                default:
                    break;
            }
        }

        return null;
    }
}
