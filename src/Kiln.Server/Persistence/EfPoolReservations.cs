using Kiln.Core.Volumes;
using Kiln.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// <see cref="IPoolReservations"/> on either engine. No table of its own: a pool's use is the sum of the
/// sizes of the volumes recorded on it (as Cinder's volume manager counts <c>allocated_capacity_gb</c>),
/// so a failed create (error, still on the pool until deleted) and a delete (the row gone) release what
/// they held without bookkeeping that could drift.
/// </summary>
internal sealed class EfPoolReservations(DatabaseWriter writes, TimeProvider timeProvider) : IPoolReservations
{
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private static readonly string Creating = VolumeStatus.Creating.ToWireName();

    public Task<PoolReservation> TryPlaceAsync(Volume read, string pool, double ceilingGb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (db.Database.ProviderName == Npgsql)
                {
                    // Placements on this pool take turns until commit: the sum below then includes every
                    // placement committed before, by any scheduler. At read committed a plain read would not
                    // see one committing at the same moment, and both would fit.
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"kiln.pool:" + pool}))", ct).ConfigureAwait(false);
                }

                var provisioned = await db.Volumes.Where(v => v.Host == pool).SumAsync(v => (long)v.Size, ct).ConfigureAwait(false);
                if (provisioned + read.SizeGb > ceilingGb)
                {
                    return new PoolReservation(null, provisioned, NoRoom: true);
                }

                var now = timeProvider.GetUtcNow();
                var placed = await db.Volumes.Where(v => v.Id == read.Id && v.Status == Creating && v.Host == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(v => v.Host, pool).SetProperty(v => v.UpdatedAt, (DateTimeOffset?)now), ct).ConfigureAwait(false);
                return placed == 0
                    ? new PoolReservation(null, provisioned, NoRoom: false)
                    : new PoolReservation(read with { Host = pool, UpdatedAt = now }, provisioned + read.SizeGb, NoRoom: false);
            },
            cancellationToken);
    }
}
