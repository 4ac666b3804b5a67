using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Quotas in the database. A write that consumes quota first bumps the project's row of
/// <c>quota_locks</c> (an upsert), then counts the usage and inserts, all in one transaction: on
/// PostgreSQL the upsert holds the row lock until the commit, so the next write of the project waits
/// and (read committed) counts what this one committed; SQLite has one writer. No statement is
/// expected to fail, so nothing is caught and retried inside the transaction.
/// </summary>
internal sealed class EfQuotaStore(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IQuotaStore
{
    private static readonly string Available = VolumeStatus.Available.ToWireName();
    private static readonly string InUse = VolumeStatus.InUse.ToWireName();
    private static readonly string Extending = VolumeStatus.Extending.ToWireName();
    private static readonly string SnapshotAvailable = SnapshotStatus.Available.ToWireName();

    public async Task<IReadOnlyDictionary<string, int>> StoredLimitsAsync(QuotaOwner owner, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return owner.IsClass
                ? await db.QuotaClasses.AsNoTracking().Where(q => q.ClassName == owner.Name).ToDictionaryAsync(q => q.Resource, q => q.HardLimit, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false)
                : await db.Quotas.AsNoTracking().Where(q => q.ProjectId == owner.Name).ToDictionaryAsync(q => q.Resource, q => q.HardLimit, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task SetLimitsAsync(QuotaOwner owner, IReadOnlyDictionary<string, int> limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return writes.RunAsync(
            async (db, ct) =>
            {
                foreach (var (resource, limit) in limits)
                {
                    // An upsert: two administrators setting the same limit at once must not meet a duplicate key.
                    _ = owner.IsClass
                        ? await db.Database.ExecuteSqlAsync(
                            $"INSERT INTO quota_classes (class_name, resource, hard_limit) VALUES ({owner.Name}, {resource}, {limit}) ON CONFLICT (class_name, resource) DO UPDATE SET hard_limit = excluded.hard_limit",
                            ct).ConfigureAwait(false)
                        : await db.Database.ExecuteSqlAsync(
                            $"INSERT INTO quotas (project_id, resource, hard_limit) VALUES ({owner.Name}, {resource}, {limit}) ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit",
                            ct).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    public Task RemoveProjectLimitsAsync(string projectId, CancellationToken cancellationToken) =>
        writes.RunAsync((db, ct) => db.Quotas.Where(q => q.ProjectId == projectId).ExecuteDeleteAsync(ct), cancellationToken);

    public async Task<ProjectUsage> UsageAsync(string projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await QuotaUsageQuery.ReadAsync(db, projectId, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<(InsertConflict Conflict, QuotaDenial? Denial)> AddVolumeAsync(Volume volume, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await LockAndCheckAsync(db, volume.ProjectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return (InsertConflict.None, denial);
                }

                // Locks in one order everywhere (quota, source, type), so two writes never wait on each other in a cycle.
                if ((volume.SourceVolumeId is { } sourceId && !await RowLocks.VolumeAsync(db, sourceId, Available, ct).ConfigureAwait(false))
                    || (volume.SourceSnapshotId is { } snapshotId && !await RowLocks.SnapshotAsync(db, snapshotId, SnapshotAvailable, ct).ConfigureAwait(false)))
                {
                    return (InsertConflict.SourceNotAvailable, (QuotaDenial?)null);
                }

                if (volume.VolumeTypeId is { } typeId && !await RowLocks.VolumeTypeAsync(db, typeId, ct).ConfigureAwait(false))
                {
                    return (InsertConflict.TypeGone, (QuotaDenial?)null);
                }

                db.Volumes.Add(VolumeEntity.From(volume));
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (InsertConflict.None, (QuotaDenial?)null);
            },
            cancellationToken);
    }

    public Task<(InsertConflict Conflict, QuotaDenial? Denial)> AddSnapshotAsync(Snapshot snapshot, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await LockAndCheckAsync(db, snapshot.ProjectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return (InsertConflict.None, denial);
                }

                // The volume's row stays locked until the commit: a delete decides after it, and sees this snapshot.
                // In-use passes too: the volume service has already refused it unless forced (or 3.66+), as Cinder does.
                if (!await RowLocks.VolumeAsync(db, snapshot.VolumeId, requiredStatus: null, ct).ConfigureAwait(false)
                    || !await db.Volumes.AnyAsync(v => v.Id == snapshot.VolumeId && (v.Status == Available || v.Status == InUse), ct).ConfigureAwait(false))
                {
                    return (InsertConflict.SourceNotAvailable, (QuotaDenial?)null);
                }

                db.Snapshots.Add(SnapshotEntity.From(snapshot));
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (InsertConflict.None, (QuotaDenial?)null);
            },
            cancellationToken);
    }

    public Task<(bool Claimed, QuotaDenial? Denial, long? PoolFullGb)> BeginExtendAsync(
        Volume volume, int newSize, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, Scheduling.PoolRoom? room, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);

        // From the status the API accepted: available, or in-use for an attached volume (3.42).
        var from = volume.Status == VolumeStatus.InUse ? VolumeStatus.InUse.ToWireName() : Available;
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await LockAndCheckAsync(db, volume.ProjectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return (true, denial, (long?)null);
                }

                // Locks in one order: the project's quota row, then the pool (a create's placement takes the pool only).
                var gigabytes = newSize - volume.SizeGb;
                if (room is not null && await EfPoolReservations.LockAndSumAsync(db, room.Pool, ct).ConfigureAwait(false) is var recorded && recorded + gigabytes > room.CeilingGb)
                {
                    return (false, (QuotaDenial?)null, recorded);
                }

                var now = timeProvider.GetUtcNow();
                var claimed = await db.Volumes.Where(v => v.Id == volume.Id && v.Status == from)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, Extending).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false) > 0;
                if (!claimed)
                {
                    return (false, (QuotaDenial?)null, (long?)null);
                }

                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO quota_reservations (volume_id, project_id, gigabytes) VALUES ({volume.Id}, {volume.ProjectId}, {gigabytes}) ON CONFLICT (volume_id) DO UPDATE SET gigabytes = excluded.gigabytes",
                    ct).ConfigureAwait(false);
                return (true, (QuotaDenial?)null, (long?)null);
            },
            cancellationToken);
    }

    /// <summary>Takes the project's quota lock and checks <paramref name="charges"/> against its usage now; the denial, or null when they fit (also used by transfer accept).</summary>
    internal static async Task<QuotaDenial?> LockAndCheckAsync(KilnDbContext db, string projectId, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken)
    {
        if (charges.All(c => check.Limits.Of(c.Resource) == QuotaResources.Unlimited))
        {
            return null;
        }

        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO quota_locks (project_id, version) VALUES ({projectId}, 1) ON CONFLICT (project_id) DO UPDATE SET version = quota_locks.version + 1",
            cancellationToken).ConfigureAwait(false);
        var usage = await QuotaUsageQuery.ReadAsync(db, projectId, cancellationToken).ConfigureAwait(false);
        return QuotaDenial.Check(charges, usage.Resources(check.TypeNamesById, check.NoSnapshotGigabytes), check.Limits);
    }
}
