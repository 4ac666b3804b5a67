using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Kiln.Server.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Retype in place: quota lock, then the volume's row, then the guarded change of <c>volume_type_id</c>.</summary>
internal sealed class EfVolumeRetypes(DatabaseWriter writes, TimeProvider timeProvider) : IVolumeRetypes
{
    public Task<(Volume? Retyped, QuotaDenial? Denial)> TryRetypeAsync(Volume read, string newTypeId, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var status = read.Status.ToWireName();
        var oldTypeId = read.VolumeTypeId;
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await EfQuotaStore.LockAndCheckAsync(db, read.ProjectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return ((Volume?)null, (QuotaDenial?)denial);
                }

                // The type row too, as a create does: a type deleted at this moment cannot end up in use.
                if (!await RowLocks.VolumeTypeAsync(db, newTypeId, ct).ConfigureAwait(false))
                {
                    return (null, null);
                }

                var now = timeProvider.GetUtcNow();
                var changed = await db.Volumes.Where(v => v.Id == read.Id && v.Status == status && v.VolumeTypeId == oldTypeId)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.VolumeTypeId, newTypeId).SetProperty(v => v.UpdatedAt, now), ct).ConfigureAwait(false);
                if (changed == 0)
                {
                    return (null, null);
                }

                var entity = await db.Volumes.AsNoTracking().FirstAsync(v => v.Id == read.Id, ct).ConfigureAwait(false);
                return (entity.ToVolume(), null);
            },
            cancellationToken);
    }
}
