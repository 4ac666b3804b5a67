using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Kiln.Server.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Claims a volume for a migration: quota lock (retype), the new type's row, then one guarded UPDATE.</summary>
internal sealed class EfVolumeMigrations(DatabaseWriter writes, TimeProvider timeProvider) : IVolumeMigrations
{
    public Task<(Volume? Claimed, QuotaDenial? Denial)> TryBeginAsync(
        Volume read, VolumeStatus claimStatus, string? newTypeId, IReadOnlyList<QuotaCharge>? charges, QuotaCheck? check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var status = read.Status.ToWireName();
        var claimed = claimStatus.ToWireName();
        var typeId = read.VolumeTypeId;
        var host = read.Host;
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (charges is not null && check is not null
                    && await EfQuotaStore.LockAndCheckAsync(db, read.ProjectId, charges, check, ct).ConfigureAwait(false) is { } denial)
                {
                    return ((Volume?)null, (QuotaDenial?)denial);
                }

                // As a retype in place: a type deleted at this moment cannot end up in use.
                if (newTypeId is not null && !await RowLocks.VolumeTypeAsync(db, newTypeId, ct).ConfigureAwait(false))
                {
                    return (null, null);
                }

                var now = timeProvider.GetUtcNow();
                var changed = await db.Volumes
                    .Where(v => v.Id == read.Id && v.Status == status && v.VolumeTypeId == typeId && v.Host == host && v.GroupId == null
                        && (v.MigrationStatus == null || v.MigrationStatus != MigrationStatuses.Migrating)
                        && !db.Snapshots.Any(s => s.VolumeId == read.Id))
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(v => v.Status, claimed)
                            .SetProperty(v => v.MigrationStatus, MigrationStatuses.Migrating)
                            .SetProperty(v => v.ErrorReason, (string?)null)
                            .SetProperty(v => v.UpdatedAt, now),
                        ct).ConfigureAwait(false);
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
