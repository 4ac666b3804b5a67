using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Where the database's schema stands against the migrations this Kiln carries: what is pending, and
/// what is applied that this Kiln does not know (a newer Kiln migrated the database).
/// </summary>
internal sealed record DatabaseSchema(IReadOnlyList<string> Known, IReadOnlyList<string> Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown)
{
    /// <summary>The newest migration this Kiln knows, or <c>no migrations</c>.</summary>
    public string Newest => Known.Count > 0 ? Known[^1] : "no migrations";

    public static async Task<DatabaseSchema> ReadAsync(KilnDbContext db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var knownSet = known.ToHashSet(StringComparer.Ordinal);
        return new DatabaseSchema(known, applied, known.Where(m => !appliedSet.Contains(m)).ToList(), applied.Where(m => !knownSet.Contains(m)).ToList());
    }

    /// <summary>
    /// Throws when the database was migrated by a newer Kiln: this one would read and write tables whose
    /// meaning it does not know (a column it never sets, a constraint it breaks), so it refuses to serve.
    /// </summary>
    public void ThrowIfNewerThanKnown(string database)
    {
        if (Unknown.Count > 0)
        {
            throw new DatabaseSchemaException(
                $"The schema of {database} is newer than this Kiln: it has {Unknown.Count} migration(s) this Kiln does not know ({string.Join(", ", Unknown)}; "
                + $"the newest known here is {Newest}). Upgrade Kiln on this node before serving from this database.");
        }
    }
}

/// <summary>The database's schema does not match this Kiln (newer than it knows, or behind with automatic migration off).</summary>
public sealed class DatabaseSchemaException(string message) : Exception(message);

/// <summary>Whether <c>kiln serve</c> applies pending migrations at start (<c>[database] auto_migrate</c>, or the engine's default).</summary>
internal sealed record DatabaseSchemaOptions(bool AutoMigrate);
