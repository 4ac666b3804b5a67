using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Kiln.Server.Persistence;

/// <summary>
/// Whether a failed statement was refused by a unique index or primary key, on either engine. Only that
/// means "someone else got there first": a foreign key, a NOT NULL or a CHECK refusal is another failure.
/// </summary>
internal static class UniqueViolations
{
    // SQLite's extended result codes SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    public static bool Is(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException sqlite:
                    return sqlite.SqliteExtendedErrorCode is SqliteUnique or SqlitePrimaryKey;
                case DbException { SqlState: { } state }:
                    return state == "23505";
                default:
                    break;
            }
        }

        return false;
    }
}
