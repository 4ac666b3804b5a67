using Kiln.Core.Volumes;
using Kiln.Server.Messages;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Volumes in the database; one short-lived context per call, so one instance serves every thread.</summary>
internal sealed class EfVolumeRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IVolumeRepository
{
    private static readonly string Creating = VolumeStatus.Creating.ToWireName();

    // Compiled once per repository: the lookup every request and every operation makes skips EF's per-call
    // query cache lookup and parameter extraction. Not static: a compiled query is bound to the model it
    // first ran on, and a process with a SQLite and a PostgreSQL database (the tests) has two.
    private readonly Func<KilnDbContext, string, CancellationToken, Task<VolumeEntity?>> byId =
        EF.CompileAsyncQuery((KilnDbContext db, string id, CancellationToken _) => db.Volumes.AsNoTracking().FirstOrDefault(v => v.Id == id));

    public async Task AddAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await writes.RunAsync(
            (db, ct) =>
            {
                db.Volumes.Add(VolumeEntity.From(volume));
                return db.SaveChangesAsync(ct);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<Volume?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await byId(db, id, cancellationToken).ConfigureAwait(false);
            return entity?.ToVolume();
        }
    }

    public async Task<Volume?> TryUpdateAsync(string id, IReadOnlyCollection<VolumeStatus> expected, Func<Volume, Volume> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(change);
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.Volumes.FirstOrDefaultAsync(v => v.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                var current = entity.ToVolume();
                if (!expected.Contains(current.Status))
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                var changed = change(current) with { Id = id, UpdatedAt = now };
                entity.Apply(changed);

                // status is the concurrency token: the UPDATE carries "AND status = <the status read>",
                // so of two requests that read the same status only the first write matches a row
                // (this process runs its writes one at a time; other processes may not).
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false)
                    ? await TellUserAsync(db, current, changed, now, ct).ConfigureAwait(false)
                    : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<Volume?> TryUpdateAsync(Volume read, Func<Volume, Volume> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(change);
        return await writes.RunAsync(
            async (db, ct) =>
            {
                // Attached as read: EF writes only the columns the change sets, guarded by the status read.
                var entity = VolumeEntity.From(read);
                db.Volumes.Attach(entity);
                var now = timeProvider.GetUtcNow();
                var changed = change(read) with { Id = read.Id, UpdatedAt = now };
                entity.Apply(changed);
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false)
                    ? await TellUserAsync(db, read, changed, now, ct).ConfigureAwait(false)
                    : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="InvalidOperationException">The volume is in <paramref name="expected"/> but still has snapshots.</exception>
    public async Task<bool> TryRemoveAsync(string id, VolumeStatus expected, CancellationToken cancellationToken)
    {
        var status = expected.ToWireName();
        var snapshots = await writes.RunAsync(
            async (db, ct) =>
            {
                if (await db.Volumes.Where(v => v.Id == id && v.Status == status && !db.Snapshots.Any(s => s.VolumeId == id))
                        .ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0)
                {
                    return (int?)null;
                }

                // Not "another request won" when the row is in the expected status but its snapshots hold it.
                return await db.Snapshots.CountAsync(s => s.VolumeId == id && db.Volumes.Any(v => v.Id == id && v.Status == status), ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        // Loud, because the caller has usually deleted the volume's data already.
        return snapshots switch
        {
            null => true,
            0 => false,
            _ => throw new InvalidOperationException($"Volume {id} still has {snapshots} snapshot(s); remove them before the volume."),
        };
    }

    public async Task<DeleteClaim<Volume>> TryBeginDeleteAsync(string id, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var statuses = expected.Select(s => s.ToWireName()).ToList();
        var deleting = VolumeStatus.Deleting.ToWireName();
        return await writes.RunAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeAsync(db, id, requiredStatus: null, ct).ConfigureAwait(false))
                {
                    return new DeleteClaim<Volume>(null);
                }

                // The decision: one statement, after the lock, so it sees every snapshot or clone
                // committed by a request that held the row before this one.
                var now = timeProvider.GetUtcNow();
                var claimed = await db.Volumes
                    .Where(v => v.Id == id && statuses.Contains(v.Status)
                        && !db.Snapshots.Any(s => s.VolumeId == id)
                        && !db.Volumes.Any(c => c.SourceVolumeId == id && c.Status == Creating))
                    .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, deleting).SetProperty(v => v.ErrorReason, (string?)null).SetProperty(v => v.UpdatedAt, now), ct)
                    .ConfigureAwait(false) > 0;
                if (claimed)
                {
                    var entity = await db.Volumes.AsNoTracking().FirstAsync(v => v.Id == id, ct).ConfigureAwait(false);
                    return new DeleteClaim<Volume>(entity.ToVolume());
                }

                var snapshots = await db.Snapshots.CountAsync(s => s.VolumeId == id, ct).ConfigureAwait(false);
                var clones = await db.Volumes.CountAsync(c => c.SourceVolumeId == id && c.Status == Creating, ct).ConfigureAwait(false);
                return new DeleteClaim<Volume>(null, snapshots, clones);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Volume>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backendHost);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await OnBackend(db.Volumes, backendHost).AsNoTracking().OrderBy(v => v.CreatedAt).ThenBy(v => v.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(v => v.ToVolume());
        }
    }

    public async Task<IReadOnlyList<Volume>> ListUnscheduledAsync(VolumeStatus status, CancellationToken cancellationToken)
    {
        var wireName = status.ToWireName();
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.Volumes.AsNoTracking().Where(v => v.Host == null && v.Status == wireName).OrderBy(v => v.CreatedAt).ThenBy(v => v.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(v => v.ToVolume());
        }
    }

    public async Task<int> CountByTypeAsync(string volumeTypeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.Volumes.CountAsync(v => v.VolumeTypeId == volumeTypeId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ListPage<Volume>> QueryAsync(ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var scope = query.ProjectId is { } projectId ? db.Volumes.Where(v => v.ProjectId == projectId) : db.Volumes;
            var filtered = scope;
            if (query.Status is { } status)
            {
                filtered = filtered.Where(v => v.Status == status);
            }

            if (query.Name is { } name)
            {
                filtered = filtered.Where(v => v.Name == name);
            }

            filtered = VolumeListFilters.Apply(filtered, query);
            var (items, markerNotFound) = await KeysetPaging.PageAsync(scope, filtered, query, cancellationToken).ConfigureAwait(false);
            return new ListPage<Volume>(items.ConvertAll(v => v.ToVolume()), markerNotFound);
        }
    }

    /// <summary>
    /// host = backend, or host starts with backend + '#', as a range of <c>ix_volumes_host</c>: every host from
    /// <c>backend#</c> up to (not including) <c>backend$</c> ('$' follows '#') starts with <c>backend#</c> when
    /// strings compare byte by byte, as on SQLite and in PostgreSQL's <c>C</c> collation (postgresql.md). Not
    /// LIKE (case-insensitive on SQLite, '_' a wildcard) nor substr (which no index serves: every row was read).
    /// </summary>
    internal static IQueryable<VolumeEntity> OnBackend(IQueryable<VolumeEntity> volumes, string backendHost)
    {
        var (from, to) = PoolRange(backendHost);
#pragma warning disable CA1309 // Translated to SQL's >= and <, compared by the database byte by byte; never run in .NET.
        return volumes.Where(v => v.Host == backendHost || (string.Compare(v.Host, from) >= 0 && string.Compare(v.Host, to) < 0));
#pragma warning restore CA1309
    }

    /// <summary>The range of hosts of <paramref name="backendHost"/>'s pools: from <c>backend#</c> (inclusive) to <c>backend$</c> (exclusive).</summary>
    internal static (string From, string To) PoolRange(string backendHost) => (backendHost + "#", backendHost + "$");

    /// <summary>
    /// A failure the owner should hear about becomes a user message, in the transaction of the status
    /// change and only once that change has won (an INSERT saved with a losing UPDATE would stay).
    /// </summary>
    private static async Task<Volume> TellUserAsync(KilnDbContext db, Volume before, Volume after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (UserMessageRules.For(before, after, now) is { } message)
        {
            db.Messages.Add(UserMessageEntity.From(message));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return after;
    }
}
