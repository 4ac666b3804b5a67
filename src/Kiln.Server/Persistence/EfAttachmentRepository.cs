using Kiln.Core.Attachments;
using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Attachments in the database; each write that changes a volume's attachments sets the volume's status in the same transaction.</summary>
internal sealed class EfAttachmentRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IAttachmentRepository
{
    public async Task<VolumeAttachment?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.VolumeAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
            return entity?.ToAttachment();
        }
    }

    public async Task<IReadOnlyList<VolumeAttachment>> ListByVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await ListAsync(db, volumeId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<VolumeAttachment>>> ListByVolumesAsync(IReadOnlyCollection<string> volumeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumeIds);
        if (volumeIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<VolumeAttachment>>(StringComparer.Ordinal);
        }

        var ids = volumeIds.ToList();
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.VolumeAttachments.AsNoTracking().Where(a => ids.Contains(a.VolumeId)).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.GroupBy(a => a.VolumeId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<VolumeAttachment>)[.. g.Select(a => a.ToAttachment())], StringComparer.Ordinal);
        }
    }

    public async Task<IReadOnlyList<VolumeAttachment>> QueryAsync(AttachmentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = db.VolumeAttachments.AsNoTracking();
            if (query.ProjectId is { } projectId)
            {
                rows = rows.Where(a => db.Volumes.Any(v => v.Id == a.VolumeId && v.ProjectId == projectId));
            }

            if (query.VolumeId is { } volumeId)
            {
                rows = rows.Where(a => a.VolumeId == volumeId);
            }

            if (query.Status is { } status)
            {
                rows = rows.Where(a => a.AttachStatus == status);
            }

            if (query.InstanceUuid is { } instance)
            {
                rows = rows.Where(a => a.InstanceUuid == instance);
            }

            var entities = await rows.ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(a => a.ToAttachment());
        }
    }

    public async Task<bool> TryAddAsync(VolumeAttachment attachment, IReadOnlyCollection<VolumeStatus> expected, VolumeStatus? volumeStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(expected);
        var statuses = expected.Select(s => s.ToWireName()).ToList();
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var target = volumeStatus?.ToWireName();

                // The claim: one conditional UPDATE of the volume's row, so two requests that read the
                // same status cannot both reserve a volume that takes one attachment.
                var claimed = await db.Volumes.Where(v => v.Id == attachment.VolumeId && statuses.Contains(v.Status))
                    .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, v => target ?? v.Status).SetProperty(v => v.UpdatedAt, now), ct)
                    .ConfigureAwait(false) > 0;
                if (!claimed)
                {
                    return false;
                }

                db.VolumeAttachments.Add(VolumeAttachmentEntity.From(attachment));
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<VolumeAttachment?> TryUpdateAsync(string id, Func<VolumeAttachment, VolumeAttachment> change, VolumeStatus? volumeStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.VolumeAttachments.FirstOrDefaultAsync(a => a.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                var changed = change(entity.ToAttachment()) with { Id = id, VolumeId = entity.VolumeId, UpdatedAt = now };
                entity.Apply(changed);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                if (volumeStatus is { } status)
                {
                    var wire = status.ToWireName();
                    await db.Volumes.Where(v => v.Id == changed.VolumeId)
                        .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, wire).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false);
                }

                return changed;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<VolumeAttachment>> RemoveAsync(string volumeId, string? attachmentId, CancellationToken cancellationToken) =>
        await writes.RunAsync(
            async (db, ct) =>
            {
                if (attachmentId is not null)
                {
                    await db.VolumeAttachments.Where(a => a.Id == attachmentId && a.VolumeId == volumeId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                }

                var left = await ListAsync(db, volumeId, ct).ConfigureAwait(false);
                await SettleAsync(db, volumeId, left, AttachStatuses, ct).ConfigureAwait(false);
                return left;
            },
            cancellationToken).ConfigureAwait(false);

    public async Task<VolumeStatus?> TrySettleAsync(string volumeId, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var left = await ListAsync(db, volumeId, ct).ConfigureAwait(false);
                return await SettleAsync(db, volumeId, left, expected, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statuses <see cref="RemoveAsync"/> changes: those about attachments (others, such as error or maintenance, stay).</summary>
    private static readonly VolumeStatus[] AttachStatuses =
        [VolumeStatus.Available, VolumeStatus.Reserved, VolumeStatus.Attaching, VolumeStatus.InUse, VolumeStatus.Detaching];

    private async Task<VolumeStatus?> SettleAsync(KilnDbContext db, string volumeId, IReadOnlyList<VolumeAttachment> left, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken)
    {
        var statuses = expected.Select(s => s.ToWireName()).ToList();
        var (status, _) = AttachStatusNames.ForVolume(left);
        var wire = status.ToWireName();
        var now = timeProvider.GetUtcNow();
        // Unchanged is not written: the start-up cleanup settles every attached volume and needs no churn.
        var changed = await db.Volumes.Where(v => v.Id == volumeId && statuses.Contains(v.Status) && v.Status != wire)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.Status, wire).SetProperty(v => v.UpdatedAt, now), cancellationToken).ConfigureAwait(false) > 0;
        return changed ? status : null;
    }

    private static async Task<IReadOnlyList<VolumeAttachment>> ListAsync(KilnDbContext db, string volumeId, CancellationToken cancellationToken)
    {
        var rows = await db.VolumeAttachments.AsNoTracking().Where(a => a.VolumeId == volumeId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(a => a.ToAttachment());
    }
}
