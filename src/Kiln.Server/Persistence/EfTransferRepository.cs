using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Kiln.Server.Transfers;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Transfers in the database. Every write locks the volume's row first (as snapshot inserts and deletes
/// do), then decides, so it orders itself with any other claim on the volume on every engine.
/// </summary>
internal sealed class EfTransferRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : ITransferRepository
{
    private static readonly string Available = VolumeStatus.Available.ToWireName();
    private static readonly string AwaitingTransfer = VolumeStatus.AwaitingTransfer.ToWireName();
    private static readonly string SnapshotAvailable = SnapshotStatus.Available.ToWireName();

    public Task<TransferWrite> AddAsync(VolumeTransfer transfer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeAsync(db, transfer.VolumeId, Available, ct).ConfigureAwait(false))
                {
                    return new TransferWrite(TransferWriteOutcome.VolumeStatusChanged);
                }

                // Cinder: every snapshot goes with the volume, so every one must be available.
                if (!transfer.NoSnapshots
                    && await db.Snapshots.AsNoTracking().Where(s => s.VolumeId == transfer.VolumeId && s.Status != SnapshotAvailable).OrderBy(s => s.CreatedAt).Select(s => s.Id)
                        .FirstOrDefaultAsync(ct).ConfigureAwait(false) is { } blocking)
                {
                    return new TransferWrite(TransferWriteOutcome.SnapshotNotAvailable, SnapshotId: blocking);
                }

                var now = timeProvider.GetUtcNow();
                await db.Volumes.Where(v => v.Id == transfer.VolumeId && v.Status == Available)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, AwaitingTransfer).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false);
                db.Transfers.Add(TransferEntity.From(transfer));
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return new TransferWrite(TransferWriteOutcome.Done);
            },
            cancellationToken);
    }

    public async Task<VolumeTransfer?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && !t.Accepted, cancellationToken).ConfigureAwait(false);
            return entity?.ToTransfer();
        }
    }

    public async Task<IReadOnlyList<VolumeTransfer>> ListAsync(string? projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var pending = db.Transfers.AsNoTracking().Where(t => !t.Accepted);
            if (projectId is not null)
            {
                pending = pending.Where(t => t.SourceProjectId == projectId);
            }

            // Cinder's order for this list: created_at then id, ascending. Sorted here: the timestamps are stored as text.
            var entities = await pending.ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. entities.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => t.ToTransfer())];
        }
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && !t.Accepted, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return false;
                }

                // Cinder's transfer_destroy: the volume is offered no more, so it is available again.
                var now = timeProvider.GetUtcNow();
                await RowLocks.VolumeAsync(db, entity.VolumeId, requiredStatus: null, ct).ConfigureAwait(false);
                await db.Volumes.Where(v => v.Id == entity.VolumeId && v.Status == AwaitingTransfer)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, Available).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false);
                return await db.Transfers.Where(t => t.Id == id && !t.Accepted).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0;
            },
            cancellationToken);

    public Task<TransferWrite> AcceptAsync(
        VolumeTransfer transfer, string projectId, string? userId, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return writes.RunAsync(
            async (db, ct) =>
            {
                // Locks in the order every quota write uses: the quota lock, then the volume's row.
                if (await EfQuotaStore.LockAndCheckAsync(db, projectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return new TransferWrite(TransferWriteOutcome.OverQuota, denial);
                }

                if (!await RowLocks.VolumeAsync(db, transfer.VolumeId, AwaitingTransfer, ct).ConfigureAwait(false))
                {
                    return new TransferWrite(await db.Volumes.AnyAsync(v => v.Id == transfer.VolumeId, ct).ConfigureAwait(false)
                        ? TransferWriteOutcome.VolumeStatusChanged
                        : TransferWriteOutcome.Gone);
                }

                var now = timeProvider.GetUtcNow();
                var marked = await db.Transfers.Where(t => t.Id == transfer.Id && !t.Accepted)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(t => t.Accepted, true).SetProperty(t => t.DestinationProjectId, projectId).SetProperty(t => t.UpdatedAt, now),
                        ct).ConfigureAwait(false);
                if (marked == 0)
                {
                    return new TransferWrite(TransferWriteOutcome.Gone);
                }

                await db.Volumes.Where(v => v.Id == transfer.VolumeId)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(v => v.Status, Available).SetProperty(v => v.ProjectId, projectId).SetProperty(v => v.UserId, userId).SetProperty(v => v.UpdatedAt, now),
                        ct).ConfigureAwait(false);
                if (!transfer.NoSnapshots)
                {
                    await db.Snapshots.Where(s => s.VolumeId == transfer.VolumeId)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProjectId, projectId).SetProperty(x => x.UserId, userId).SetProperty(x => x.UpdatedAt, now), ct)
                        .ConfigureAwait(false);
                }

                return new TransferWrite(TransferWriteOutcome.Done);
            },
            cancellationToken);
    }
}
