using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Availability zones in the database.</summary>
internal sealed class EfAvailabilityZoneRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IAvailabilityZoneRepository
{
    public async Task EnsureAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await writes.RunAsync(
            async (db, ct) =>
            {
                if (await db.AvailabilityZones.AnyAsync(z => z.Name == name, ct).ConfigureAwait(false))
                {
                    return;
                }

                db.AvailabilityZones.Add(new AvailabilityZoneEntity { Name = name, CreatedAt = timeProvider.GetUtcNow() });
                try
                {
                    await db.SaveChangesAsync(ct).ConfigureAwait(false);
                }
                catch (DbUpdateException) when (!ct.IsCancellationRequested)
                {
                    // Another node recorded the zone since the check above; any other failure goes to the caller.
                    db.ChangeTracker.Clear();
                    if (!await db.AvailabilityZones.AnyAsync(z => z.Name == name, ct).ConfigureAwait(false))
                    {
                        throw;
                    }
                }
            },
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
