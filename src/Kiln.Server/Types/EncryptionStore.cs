using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Types;

/// <summary>
/// Volume type encryption (<c>encryption</c>). As in Cinder, it cannot be created, changed or removed
/// while a volume of the type exists: those volumes were made with the old settings. The check and the
/// change run in one write after the type's row lock (<see cref="RowLocks"/>), which volume creates take too.
/// </summary>
internal sealed class EncryptionStore(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider)
{
    public async Task<TypeEncryption?> FindAsync(string typeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Encryptions.AsNoTracking().FirstOrDefaultAsync(e => e.VolumeTypeId == typeId, cancellationToken).ConfigureAwait(false);
            return row is null ? null : ToEncryption(row);
        }
    }

    public Task<(EncryptionOutcome Outcome, TypeEncryption? Encryption)> CreateAsync(string typeId, EncryptionFields fields, CancellationToken cancellationToken) =>
        writes.RunAsync<(EncryptionOutcome, TypeEncryption?)>(
            async (db, ct) =>
            {
                if (await LockUnusedAsync(db, typeId, ct).ConfigureAwait(false) is { } refused)
                {
                    return (refused, null);
                }

                if (await db.Encryptions.AnyAsync(e => e.VolumeTypeId == typeId, ct).ConfigureAwait(false))
                {
                    return (EncryptionOutcome.Exists, null);
                }

                var row = new EncryptionEntity
                {
                    EncryptionId = Guid.NewGuid().ToString(),
                    VolumeTypeId = typeId,
                    Provider = fields.Provider!,
                    Cipher = fields.Cipher,
                    KeySize = fields.KeySize,
                    ControlLocation = fields.ControlLocation!,
                    CreatedAt = timeProvider.GetUtcNow(),
                };
                db.Encryptions.Add(row);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (EncryptionOutcome.Done, ToEncryption(row));
            },
            cancellationToken);

    public Task<EncryptionOutcome> UpdateAsync(string typeId, EncryptionFields fields, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                if (await LockUnusedAsync(db, typeId, ct).ConfigureAwait(false) is { } refused)
                {
                    return refused;
                }

                var row = await db.Encryptions.FirstOrDefaultAsync(e => e.VolumeTypeId == typeId, ct).ConfigureAwait(false);
                if (row is null)
                {
                    return EncryptionOutcome.NotFound;
                }

                row.Provider = fields.Provider ?? row.Provider;
                row.ControlLocation = fields.ControlLocation ?? row.ControlLocation;
                row.Cipher = fields.HasCipher ? fields.Cipher : row.Cipher;
                row.KeySize = fields.HasKeySize ? fields.KeySize : row.KeySize;
                row.UpdatedAt = timeProvider.GetUtcNow();
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return EncryptionOutcome.Done;
            },
            cancellationToken);

    public Task<EncryptionOutcome> DeleteAsync(string typeId, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                if (await LockUnusedAsync(db, typeId, ct).ConfigureAwait(false) is { } refused)
                {
                    return refused;
                }

                return await db.Encryptions.Where(e => e.VolumeTypeId == typeId).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0
                    ? EncryptionOutcome.Done
                    : EncryptionOutcome.NotFound;
            },
            cancellationToken);

    private static async Task<EncryptionOutcome?> LockUnusedAsync(KilnDbContext db, string typeId, CancellationToken cancellationToken)
    {
        if (!await RowLocks.VolumeTypeAsync(db, typeId, cancellationToken).ConfigureAwait(false))
        {
            return EncryptionOutcome.TypeNotFound;
        }

        return await db.Volumes.AnyAsync(v => v.VolumeTypeId == typeId, cancellationToken).ConfigureAwait(false) ? EncryptionOutcome.InUse : null;
    }

    private static TypeEncryption ToEncryption(EncryptionEntity row) =>
        new(row.EncryptionId, row.VolumeTypeId, row.Provider, row.Cipher, row.KeySize, row.ControlLocation, row.CreatedAt, row.UpdatedAt);
}
