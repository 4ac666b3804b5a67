using System.Globalization;
using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Volume types and their extra specs (one row per key) in the database.</summary>
internal sealed class EfVolumeTypeRepository(IDbContextFactory<KilnDbContext> contexts, TimeProvider timeProvider) : IVolumeTypeRepository
{
    public const string DefaultDescription = "Default Volume Type";

    // A write that loses a race (the same extra spec added twice at once) is tried again on fresh
    // rows; each loss means another request's write went through, so a few tries are plenty.
    private const int WriteAttempts = 3;

    public async Task<bool> TryAddAsync(VolumeType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            if (await db.VolumeTypes.AnyAsync(t => t.Name == type.Name, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            db.VolumeTypes.Add(VolumeTypeEntity.From(type, timeProvider.GetUtcNow()));
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
            {
                // The unique index on name refused a type added since the check above; any other
                // failure (a duplicate id) is not "the name is taken" and goes to the caller.
                if (await FindByNameAsync(type.Name, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return false;
                }

                throw;
            }
        }
    }

    public async Task<VolumeType?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var matches = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).Where(t => t.Id == idOrName || t.Name == idOrName)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var match = matches.Find(t => t.Id == idOrName) ?? matches.FirstOrDefault();
            return match?.ToVolumeType();
        }
    }

    public async Task<IReadOnlyList<VolumeType>> ListAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var types = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).OrderBy(t => t.Name)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return types.ConvertAll(t => t.ToVolumeType());
        }
    }

    public async Task<VolumeType?> SetExtraSpecsAsync(string id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(specs);
        for (var attempt = 1; ; attempt++)
        {
            var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                var type = await db.VolumeTypes.Include(t => t.ExtraSpecs).FirstOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false);
                if (type is null)
                {
                    return null;
                }

                foreach (var (key, value) in specs)
                {
                    if (type.ExtraSpecs.Find(s => s.Key == key) is { } existing)
                    {
                        existing.Value = value;
                    }
                    else
                    {
                        type.ExtraSpecs.Add(new VolumeTypeExtraSpecEntity { VolumeTypeId = id, Key = key, Value = value });
                    }
                }

                type.UpdatedAt = timeProvider.GetUtcNow();
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    return type.ToVolumeType();
                }
                catch (DbUpdateException) when (attempt < WriteAttempts && !cancellationToken.IsCancellationRequested)
                {
                    // Another request added one of these keys, or removed the type: read again.
                }
            }
        }
    }

    public async Task<bool> UnsetExtraSpecAsync(string id, string key, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var removed = await db.VolumeTypeExtraSpecs.Where(s => s.VolumeTypeId == id && s.Key == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            if (removed == 0)
            {
                return false;
            }

            var now = timeProvider.GetUtcNow();
            await db.VolumeTypes.Where(t => t.Id == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.UpdatedAt, now), cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public async Task<VolumeType?> UpdateAsync(string id, string? name, string? description, bool? isPublic, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var type = await db.VolumeTypes.Include(t => t.ExtraSpecs).FirstOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false);
            if (type is null)
            {
                return null;
            }

            if (name is not null && name != type.Name && await db.VolumeTypes.AnyAsync(t => t.Name == name, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            type.Name = name ?? type.Name;
            type.Description = description ?? type.Description;
            type.IsPublic = isPublic ?? type.IsPublic;
            type.UpdatedAt = timeProvider.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return type.ToVolumeType();
            }
            catch (DbUpdateConcurrencyException)
            {
                // Removed by another request since it was read.
                return null;
            }
            catch (DbUpdateException) when (name is not null && !cancellationToken.IsCancellationRequested)
            {
                // Another type took the name since the check above; anything else goes to the caller.
                var holder = await FindByNameAsync(name, cancellationToken).ConfigureAwait(false);
                if (holder is not null && holder.Id != id)
                {
                    return null;
                }

                throw;
            }
        }
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            // The extra specs go with the type (ON DELETE CASCADE).
            return await db.VolumeTypes.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <summary>
    /// Creates Cinder's <c>__DEFAULT__</c> type unless a type of that name exists, and returns it.
    /// Safe when several nodes start at once: the unique name lets only one insert win.
    /// </summary>
    public async Task<VolumeType> EnsureDefaultTypeAsync(CancellationToken cancellationToken)
    {
        if (await FindByNameAsync(VolumeType.DefaultName, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var type = new VolumeType { Id = Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture), Name = VolumeType.DefaultName, Description = DefaultDescription };
        if (await TryAddAsync(type, cancellationToken).ConfigureAwait(false))
        {
            return type;
        }

        return await FindByNameAsync(VolumeType.DefaultName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The volume type {VolumeType.DefaultName} was neither found nor created.");
    }

    private async Task<VolumeType?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var type = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).FirstOrDefaultAsync(t => t.Name == name, cancellationToken).ConfigureAwait(false);
            return type?.ToVolumeType();
        }
    }
}
