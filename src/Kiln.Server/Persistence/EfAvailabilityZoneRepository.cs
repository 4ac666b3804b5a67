using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Availability zones in the database.</summary>
internal sealed class EfAvailabilityZoneRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IAvailabilityZoneRepository
{
    public async Task EnsureAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var createdAt = UtcTimestampConverter.Format(timeProvider.GetUtcNow());

        // An upsert: nodes starting together each insert, the unique key keeps one row, and no statement
        // fails (a failed one would abort the whole transaction on PostgreSQL).
        await writes.RunAsync(
            (db, ct) => db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "availability_zones" ("name", "created_at") VALUES ({name}, {createdAt}) ON CONFLICT ("name") DO NOTHING""", ct),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredAvailabilityZone>> ListAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.AvailabilityZones.AsNoTracking().OrderBy(z => z.Name).Select(z => new StoredAvailabilityZone(z.Name, z.CreatedAt))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
