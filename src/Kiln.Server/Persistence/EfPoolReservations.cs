using Kiln.Core.Volumes;
using Kiln.Server.Groups;
using Kiln.Server.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// <see cref="IPoolReservations"/> on either engine. No table of its own: a pool's use is the sum of the
/// sizes of the volumes recorded on it (as Cinder's volume manager counts <c>allocated_capacity_gb</c>),
/// so a failed create (error, still on the pool until deleted) and a delete (the row gone) release what
/// they held without bookkeeping that could drift. An extend in progress adds its growth
/// (<see cref="LockAndSumAsync"/>).
/// </summary>
internal sealed class EfPoolReservations(DatabaseWriter writes, TimeProvider timeProvider) : IPoolReservations
{
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private static readonly string Creating = VolumeStatus.Creating.ToWireName();
    private static readonly string Extending = VolumeStatus.Extending.ToWireName();
    private static readonly string GroupCreating = GroupStatus.Creating.ToWireName();
    private static readonly string GroupAvailable = GroupStatus.Available.ToWireName();

    public Task<PoolReservation> TryPlaceAsync(Volume read, string pool, double ceilingGb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return writes.RunAsync(
            async (db, ct) =>
            {
                var provisioned = await LockAndSumAsync(db, pool, ct).ConfigureAwait(false);
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

    public Task<PoolReservation> TryPlaceGroupAsync(string groupId, string pool, int neededGb, double ceilingGb, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var provisioned = await LockAndSumAsync(db, pool, ct).ConfigureAwait(false);
                if (provisioned + neededGb > ceilingGb)
                {
                    return new PoolReservation(null, provisioned, NoRoom: true);
                }

                var now = timeProvider.GetUtcNow();
                await db.Groups.Where(g => g.Id == groupId && g.Status == GroupCreating && g.Host == null)
                    .ExecuteUpdateAsync(
                        set => set.SetProperty(g => g.Host, pool).SetProperty(g => g.Status, GroupAvailable).SetProperty(g => g.ErrorReason, (string?)null)
                            .SetProperty(g => g.UpdatedAt, (DateTimeOffset?)now),
                        ct).ConfigureAwait(false);
                return new PoolReservation(null, provisioned, NoRoom: false);
            },
            cancellationToken);

    /// <summary>
    /// Takes the pool's turn (PostgreSQL: a transaction lock on its name, held until commit) and returns the GB
    /// the database records on it: the sizes of its volumes plus the growth of its extends in progress (their
    /// <c>quota_reservations</c> rows, which count while the volume is <c>extending</c>). Every check of a
    /// pool's room — a create's placement, an extend, a group's placement — goes through here, so two nodes
    /// checking the same pool take turns and each sees what the other committed.
    /// </summary>
    internal static async Task<long> LockAndSumAsync(KilnDbContext db, string pool, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName == Npgsql)
        {
            // At read committed a plain read would not see a placement committing at the same moment, and
            // both would fit; taking turns until commit makes the sums below include it.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"kiln.pool:" + pool}))", cancellationToken).ConfigureAwait(false);
        }

        // One statement, so one snapshot: an extend ending meanwhile (size grown and status no longer extending,
        // written without the pool's lock) is counted once, never with its old size and without its growth, as
        // two queries could (seen: a third extend accepted on a full pool).
        return await db.Volumes.Where(v => v.Host == pool)
            .SumAsync(
                v => (long)v.Size
                    + (v.Status == Extending ? db.QuotaReservations.Where(r => r.VolumeId == v.Id).Select(r => (long)r.Gigabytes).FirstOrDefault() : 0L),
                cancellationToken).ConfigureAwait(false);
    }
}