using Kiln.Core.Volumes;
using Kiln.Server.Messages;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Snapshots in the database; one short-lived context per call, so one instance serves every thread.</summary>
internal sealed class EfSnapshotRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : ISnapshotRepository
{
    private static readonly string Creating = VolumeStatus.Creating.ToWireName();

    /// <exception cref="DbUpdateException">The snapshot's volume does not exist.</exception>
    public async Task AddAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await writes.RunAsync(
            (db, ct) =>
            {
                db.Snapshots.Add(SnapshotEntity.From(snapshot));
                return db.SaveChangesAsync(ct);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<Snapshot?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.Snapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
            return entity?.ToSnapshot();
        }
    }

    public async Task<Snapshot?> TryUpdateAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, Func<Snapshot, Snapshot> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(change);
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.Snapshots.FirstOrDefaultAsync(s => s.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                var current = entity.ToSnapshot();
                if (!expected.Contains(current.Status))
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                var changed = change(current) with { Id = id, UpdatedAt = now };
                entity.Apply(changed);

                // status is the concurrency token: the UPDATE only matches while the status is the one read.
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false)
                    ? await TellUserAsync(db, current, changed, now, ct).ConfigureAwait(false)
                    : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryRemoveAsync(string id, SnapshotStatus expected, CancellationToken cancellationToken)
    {
        var status = expected.ToWireName();
        var removed = await writes.RunAsync((db, ct) => db.Snapshots.Where(s => s.Id == id && s.Status == status).ExecuteDeleteAsync(ct), cancellationToken)
            .ConfigureAwait(false);
        return removed > 0;
    }

    public async Task<DeleteClaim<Snapshot>> TryBeginDeleteAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var statuses = expected.Select(s => s.ToWireName()).ToList();
        var deleting = SnapshotStatus.Deleting.ToWireName();
        return await writes.RunAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.SnapshotAsync(db, id, requiredStatus: null, ct).ConfigureAwait(false))
                {
                    return new DeleteClaim<Snapshot>(null);
                }

                // After the lock (RowLocks): sees a volume a create-from-snapshot committed while holding the row.
                var now = timeProvider.GetUtcNow();
                var claimed = await db.Snapshots
                    .Where(s => s.Id == id && statuses.Contains(s.Status) && !db.Volumes.Any(v => v.SourceSnapshotId == id && v.Status == Creating))
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, deleting).SetProperty(s => s.ErrorReason, (string?)null).SetProperty(s => s.UpdatedAt, now), ct)
                    .ConfigureAwait(false) > 0;
                if (claimed)
                {
                    var entity = await db.Snapshots.AsNoTracking().FirstAsync(s => s.Id == id, ct).ConfigureAwait(false);
                    return new DeleteClaim<Snapshot>(entity.ToSnapshot());
                }

                var creating = await db.Volumes.CountAsync(v => v.SourceSnapshotId == id && v.Status == Creating, ct).ConfigureAwait(false);
                return new DeleteClaim<Snapshot>(null, VolumesBeingCreated: creating);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Snapshot>> ListByVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.Snapshots.AsNoTracking().Where(s => s.VolumeId == volumeId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(s => s.ToSnapshot());
        }
    }

    public async Task<IReadOnlyList<Snapshot>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backendHost);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.Snapshots.AsNoTracking()
                .Join(EfVolumeRepository.OnBackend(db.Volumes, backendHost), s => s.VolumeId, v => v.Id, (s, v) => s)
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(s => s.ToSnapshot());
        }
    }

    public async Task<ListPage<Snapshot>> QueryAsync(ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var scope = query.ProjectId is { } projectId ? db.Snapshots.Where(s => s.ProjectId == projectId) : db.Snapshots;
            var filtered = scope;
            if (query.Status is { } status)
            {
                filtered = filtered.Where(s => s.Status == status);
            }

            if (query.Name is { } name)
            {
                filtered = filtered.Where(s => s.Name == name);
            }

            if (query.VolumeId is { } volumeId)
            {
                filtered = filtered.Where(s => s.VolumeId == volumeId);
            }

            filtered = VolumeListFilters.Apply(filtered, db.Volumes, query);

            var (items, markerNotFound) = await KeysetPaging.PageAsync(scope, filtered, query, cancellationToken).ConfigureAwait(false);
            return new ListPage<Snapshot>(items.ConvertAll(s => s.ToSnapshot()), markerNotFound);
        }
    }

    /// <summary>
    /// A failure the owner should hear about becomes a user message, in the transaction of the status
    /// change and only once that change has won (an INSERT saved with a losing UPDATE would stay).
    /// </summary>
    private static async Task<Snapshot> TellUserAsync(KilnDbContext db, Snapshot before, Snapshot after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (UserMessageRules.For(before, after, now) is { } message)
        {
            db.Messages.Add(UserMessageEntity.From(message));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return after;
    }
}
