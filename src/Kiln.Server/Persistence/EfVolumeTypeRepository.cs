using System.Globalization;
using System.Runtime.ExceptionServices;
using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Volume types and their extra specs (one row per key) in the database. Reads come from a copy of
/// the whole (small) table: every volume request reads its type, and that lookup was a tenth of the
/// API's CPU. A write in this process drops the copy at once; a type another node wrote is seen at
/// the next miss (a name or id the copy does not know is always read again) or within
/// <see cref="CacheLifetime"/>.
/// </summary>
internal sealed class EfVolumeTypeRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IVolumeTypeRepository
{
    public const string DefaultDescription = "Default Volume Type";

    /// <summary>How long a copy of the types serves reads before the table is read again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private TypeTable? table;
    private long generation;

    public Task<bool> TryAddAsync(VolumeType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        return WriteAsync(
            async (db, ct) =>
            {
                if (await NameTakenAsync(db, type.Name, exceptId: null, ct).ConfigureAwait(false))
                {
                    return false;
                }

                db.VolumeTypes.Add(VolumeTypeEntity.From(type, timeProvider.GetUtcNow()));
                if (await Savepoints.TrySaveChangesAsync(db, ct).ConfigureAwait(false) is not { } refused)
                {
                    return true;
                }

                // A unique index refused it: the one on lower(name) (another node added the name since the
                // check above), or the primary key, which is not "the name is taken" and goes to the caller.
                if (await NameTakenAsync(db, type.Name, exceptId: null, ct).ConfigureAwait(false))
                {
                    return false;
                }

                ExceptionDispatchInfo.Throw(refused);
                return false;
            },
            cancellationToken);
    }

    public async Task<VolumeType?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        var cached = await TableAsync(reload: false, cancellationToken).ConfigureAwait(false);
        return cached.Find(idOrName) ?? (await TableAsync(reload: true, cancellationToken).ConfigureAwait(false)).Find(idOrName);
    }

    public async Task<IReadOnlyList<VolumeType>> ListAsync(CancellationToken cancellationToken) =>
        (await TableAsync(reload: false, cancellationToken).ConfigureAwait(false)).ByName;

    public async Task<VolumeType?> FindStoredAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var type = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).FirstOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false);
            return type?.ToVolumeType();
        }
    }

    public Task<TypeWrite> SetExtraSpecsAsync(string id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return WriteAsync(
            async (db, ct) =>
            {
                if (await LockUnusedAsync(db, id, ct).ConfigureAwait(false) is { } refused)
                {
                    return new TypeWrite(refused);
                }

                // The type's row is locked (above): it cannot go away meanwhile. A key another request adds
                // at the same moment is an upsert's conflict, not a failed statement.
                var now = timeProvider.GetUtcNow();
                foreach (var (key, value) in specs)
                {
                    await db.Database.ExecuteSqlAsync(
                        $"""
                        INSERT INTO "volume_type_extra_specs" ("volume_type_id", "key", "value") VALUES ({id}, {key}, {value})
                        ON CONFLICT ("volume_type_id", "key") DO UPDATE SET "value" = excluded."value"
                        """,
                        ct).ConfigureAwait(false);
                }

                await db.VolumeTypes.Where(t => t.Id == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.UpdatedAt, now), ct).ConfigureAwait(false);
                var type = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).FirstAsync(t => t.Id == id, ct).ConfigureAwait(false);
                return new TypeWrite(TypeWriteOutcome.Done, type.ToVolumeType());
            },
            cancellationToken);
    }

    public Task<TypeWriteOutcome> UnsetExtraSpecAsync(string id, string key, CancellationToken cancellationToken) =>
        WriteAsync(
            async (db, ct) =>
            {
                if (await LockUnusedAsync(db, id, ct).ConfigureAwait(false) is { } refused)
                {
                    return refused;
                }

                var removed = await db.VolumeTypeExtraSpecs.Where(s => s.VolumeTypeId == id && s.Key == key).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                if (removed == 0)
                {
                    return TypeWriteOutcome.NotFound;
                }

                var now = timeProvider.GetUtcNow();
                await db.VolumeTypes.Where(t => t.Id == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.UpdatedAt, now), ct).ConfigureAwait(false);
                return TypeWriteOutcome.Done;
            },
            cancellationToken);

    public Task<VolumeType?> UpdateAsync(string id, string? name, string? description, bool? isPublic, CancellationToken cancellationToken) =>
        WriteAsync(
            async (db, ct) =>
            {
                var type = await db.VolumeTypes.Include(t => t.ExtraSpecs).FirstOrDefaultAsync(t => t.Id == id, ct).ConfigureAwait(false);
                if (type is null)
                {
                    return null;
                }

                if (name is not null && name != type.Name && await NameTakenAsync(db, name, exceptId: id, ct).ConfigureAwait(false))
                {
                    return null;
                }

                type.Name = name ?? type.Name;
                type.Description = description ?? type.Description;
                type.IsPublic = isPublic ?? type.IsPublic;
                type.UpdatedAt = timeProvider.GetUtcNow();
                try
                {
                    if (await Savepoints.TrySaveChangesAsync(db, ct).ConfigureAwait(false) is not { } refused)
                    {
                        return type.ToVolumeType();
                    }

                    // Another type took the name since the check above; anything else goes to the caller.
                    if (name is not null && await NameTakenAsync(db, name, exceptId: id, ct).ConfigureAwait(false))
                    {
                        return null;
                    }

                    ExceptionDispatchInfo.Throw(refused);
                    return null;
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Removed by another node since it was read.
                    return null;
                }
            },
            cancellationToken);

    // The extra specs go with the type (ON DELETE CASCADE).
    public Task<TypeWriteOutcome> RemoveAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeTypeAsync(db, id, ct).ConfigureAwait(false))
                {
                    return TypeWriteOutcome.NotFound;
                }

                // After the lock (RowLocks): sees a volume that a create inserted while holding the row. A group
                // that lists the type keeps it too, as Cinder's volume_type_destroy counts group mappings.
                return await db.VolumeTypes
                        .Where(t => t.Id == id && !db.Volumes.Any(v => v.VolumeTypeId == id) && !db.Set<GroupVolumeTypeMappingEntity>().Any(m => m.VolumeTypeId == id))
                        .ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0
                    ? TypeWriteOutcome.Done
                    : TypeWriteOutcome.InUse;
            },
            cancellationToken);

    /// <summary>
    /// Locks the type's row (<see cref="RowLocks"/>) and answers null when it exists and no volume uses
    /// it: a volume insert locks the same row, so it and the caller's change cannot both win.
    /// </summary>
    private static async Task<TypeWriteOutcome?> LockUnusedAsync(KilnDbContext db, string id, CancellationToken cancellationToken)
    {
        if (!await RowLocks.VolumeTypeAsync(db, id, cancellationToken).ConfigureAwait(false))
        {
            return TypeWriteOutcome.NotFound;
        }

        return await db.Volumes.AnyAsync(v => v.VolumeTypeId == id, cancellationToken).ConfigureAwait(false) ? TypeWriteOutcome.InUse : null;
    }

    /// <summary>
    /// Whether another type has <paramref name="name"/> ignoring case: Cinder's MySQL collation makes
    /// <c>Gold</c> and <c>gold</c> one name. Compared with the database's lower(), as the unique index
    /// is (ASCII letters only on SQLite, like its NOCASE).
    /// </summary>
    private static Task<bool> NameTakenAsync(KilnDbContext db, string name, string? exceptId, CancellationToken cancellationToken)
    {
        // Translated to SQL lower() on both sides, never run in .NET: no culture is involved.
#pragma warning disable CA1304, CA1311, CA1862
        return db.VolumeTypes.AnyAsync(t => t.Name.ToLower() == name.ToLower() && t.Id != exceptId, cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
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

    /// <summary>Drops the cached copy: the next read loads the table again. The QoS specs store calls it after it changes a type's <c>qos_specs_id</c>.</summary>
    internal void Invalidate()
    {
        lock (gate)
        {
            generation++;
            table = null;
        }
    }

    /// <summary>Every write of this repository: carried out by the <see cref="DatabaseWriter"/>, then the cached copy is dropped.</summary>
    private async Task<T> WriteAsync<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await writes.RunAsync(write, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Invalidate();
        }
    }

    /// <summary>
    /// The cached copy, or a fresh read of the table (when asked, when there is none, or when it is
    /// older than <see cref="CacheLifetime"/>). Callers that miss together each read: the table is a
    /// few rows, and a shared load would only add a lock.
    /// </summary>
    private async Task<TypeTable> TableAsync(bool reload, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref table);
        if (!reload && current is not null && !current.IsExpired(timeProvider))
        {
            return current;
        }

        long loadedGeneration;
        lock (gate)
        {
            loadedGeneration = generation;
        }

        var loadedAt = timeProvider.GetTimestamp();
        List<VolumeTypeEntity> rows;
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            rows = await db.VolumeTypes.AsNoTracking().Include(t => t.ExtraSpecs).OrderBy(t => t.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var loaded = new TypeTable(rows.ConvertAll(t => t.ToVolumeType()), loadedAt);
        lock (gate)
        {
            // A write that finished during the read may be missing from these rows: they serve
            // this caller only.
            if (generation == loadedGeneration)
            {
                table = loaded;
            }
        }

        return loaded;
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

    /// <summary>One read of the whole table: by name (the list's order), by id and by name.</summary>
    private sealed class TypeTable
    {
        private readonly Dictionary<string, VolumeType> byId = new(StringComparer.Ordinal);
        private readonly Dictionary<string, VolumeType> byNameLookup = new(StringComparer.Ordinal);
        private readonly long loadedAt;

        public TypeTable(List<VolumeType> byName, long loadedAt)
        {
            ByName = byName;
            this.loadedAt = loadedAt;
            foreach (var type in byName)
            {
                byId[type.Id] = type;
                byNameLookup.TryAdd(type.Name, type);
            }
        }

        public IReadOnlyList<VolumeType> ByName { get; }

        public bool IsExpired(TimeProvider time) => time.GetElapsedTime(loadedAt) >= CacheLifetime;

        /// <summary>An id wins over a name, as in Cinder's lookup.</summary>
        public VolumeType? Find(string idOrName) => byId.GetValueOrDefault(idOrName) ?? byNameLookup.GetValueOrDefault(idOrName);
    }
}
