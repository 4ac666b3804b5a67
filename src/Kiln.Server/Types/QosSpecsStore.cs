using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Types;

/// <summary>
/// QoS specs and their associations with volume types (<c>volume_types.qos_specs_id</c>) in the
/// database. Every decision is taken inside one write, so a check and the change it allows cannot be
/// split by another request.
/// </summary>
internal sealed class QosSpecsStore(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, EfVolumeTypeRepository types, TimeProvider timeProvider)
{
    public Task<(QosWriteOutcome Outcome, QosSpecs? Specs)> CreateAsync(string name, string consumer, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken) =>
        writes.RunAsync<(QosWriteOutcome, QosSpecs?)>(
            async (db, ct) =>
            {
                if (await db.QosSpecs.AnyAsync(q => q.Name == name, ct).ConfigureAwait(false))
                {
                    return (QosWriteOutcome.NameTaken, null);
                }

                var entity = new QosSpecsEntity
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = name,
                    Consumer = consumer,
                    Specs = MetadataJson.Serialize(specs),
                    CreatedAt = timeProvider.GetUtcNow(),
                };
                db.QosSpecs.Add(entity);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (QosWriteOutcome.Done, ToSpecs(entity));
            },
            cancellationToken);

    public async Task<IReadOnlyList<QosSpecs>> ListAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.QosSpecs.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);

            // Cinder's default order: newest first.
            return [.. rows.OrderByDescending(q => q.CreatedAt).ThenBy(q => q.Id, StringComparer.Ordinal).Select(ToSpecs)];
        }
    }

    public async Task<QosSpecs?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.QosSpecs.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken).ConfigureAwait(false);
            return row is null ? null : ToSpecs(row);
        }
    }

    /// <summary>Sets (adds or replaces) keys and, when given, the consumer.</summary>
    public Task<QosWriteOutcome> SetAsync(string id, string? consumer, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var row = await db.QosSpecs.FirstOrDefaultAsync(q => q.Id == id, ct).ConfigureAwait(false);
                if (row is null)
                {
                    return QosWriteOutcome.NotFound;
                }

                var current = MetadataJson.Deserialize(row.Specs);
                foreach (var (key, value) in specs)
                {
                    current[key] = value;
                }

                row.Specs = MetadataJson.Serialize(current);
                row.Consumer = consumer ?? row.Consumer;
                row.UpdatedAt = timeProvider.GetUtcNow();
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return QosWriteOutcome.Done;
            },
            cancellationToken);

    /// <summary>Removes <paramref name="keys"/>; when one is missing, nothing is removed and its name is returned.</summary>
    public Task<(QosWriteOutcome Outcome, string? MissingKey)> UnsetAsync(string id, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        writes.RunAsync<(QosWriteOutcome, string?)>(
            async (db, ct) =>
            {
                var row = await db.QosSpecs.FirstOrDefaultAsync(q => q.Id == id, ct).ConfigureAwait(false);
                if (row is null)
                {
                    return (QosWriteOutcome.NotFound, null);
                }

                var current = MetadataJson.Deserialize(row.Specs);
                if (keys.FirstOrDefault(k => !current.ContainsKey(k)) is { } missing)
                {
                    return (QosWriteOutcome.KeyNotFound, missing);
                }

                foreach (var key in keys)
                {
                    current.Remove(key);
                }

                row.Specs = MetadataJson.Serialize(current);
                row.UpdatedAt = timeProvider.GetUtcNow();
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (QosWriteOutcome.Done, null);
            },
            cancellationToken);

    /// <summary>Deletes the specs; while types are associated only with <paramref name="force"/>, which disassociates them first (as Cinder).</summary>
    public Task<QosWriteOutcome> DeleteAsync(string id, bool force, CancellationToken cancellationToken) =>
        WriteTypesAsync(
            async (db, ct) =>
            {
                if (!await db.QosSpecs.AnyAsync(q => q.Id == id, ct).ConfigureAwait(false))
                {
                    return QosWriteOutcome.NotFound;
                }

                if (await db.VolumeTypes.AnyAsync(t => t.QosSpecsId == id, ct).ConfigureAwait(false))
                {
                    if (!force)
                    {
                        return QosWriteOutcome.InUse;
                    }

                    await db.VolumeTypes.Where(t => t.QosSpecsId == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.QosSpecsId, (string?)null), ct).ConfigureAwait(false);
                }

                await db.QosSpecs.Where(q => q.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                return QosWriteOutcome.Done;
            },
            cancellationToken);

    /// <summary>The types associated with the specs, or null when the specs do not exist.</summary>
    public async Task<IReadOnlyList<QosAssociation>?> AssociationsAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            if (!await db.QosSpecs.AnyAsync(q => q.Id == id, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var rows = await db.VolumeTypes.AsNoTracking().Where(t => t.QosSpecsId == id).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(t => new QosAssociation(t.Id, t.Name));
        }
    }

    /// <summary>
    /// Associates the specs with a type. A type has at most one QoS specs: associating it again with the
    /// same ones is a no-op, with other ones it is refused (<see cref="QosWriteOutcome.AssociatedElsewhere"/>,
    /// the other id in the answer).
    /// </summary>
    public Task<(QosWriteOutcome Outcome, string? OtherId)> AssociateAsync(string id, string typeId, CancellationToken cancellationToken) =>
        WriteTypesAsync<(QosWriteOutcome, string?)>(
            async (db, ct) =>
            {
                if (!await db.QosSpecs.AnyAsync(q => q.Id == id, ct).ConfigureAwait(false))
                {
                    return (QosWriteOutcome.NotFound, null);
                }

                var type = await db.VolumeTypes.FirstOrDefaultAsync(t => t.Id == typeId, ct).ConfigureAwait(false);
                if (type is null)
                {
                    return (QosWriteOutcome.TypeNotFound, null);
                }

                if (type.QosSpecsId is { } other && other != id)
                {
                    return (QosWriteOutcome.AssociatedElsewhere, other);
                }

                type.QosSpecsId = id;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (QosWriteOutcome.Done, null);
            },
            cancellationToken);

    /// <summary>Removes the association with one type (none with these specs is fine, as in Cinder).</summary>
    public Task<QosWriteOutcome> DisassociateAsync(string id, string typeId, CancellationToken cancellationToken) =>
        WriteTypesAsync(
            async (db, ct) =>
            {
                if (!await db.QosSpecs.AnyAsync(q => q.Id == id, ct).ConfigureAwait(false))
                {
                    return QosWriteOutcome.NotFound;
                }

                if (!await db.VolumeTypes.AnyAsync(t => t.Id == typeId, ct).ConfigureAwait(false))
                {
                    return QosWriteOutcome.TypeNotFound;
                }

                await db.VolumeTypes.Where(t => t.Id == typeId && t.QosSpecsId == id)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.QosSpecsId, (string?)null), ct).ConfigureAwait(false);
                return QosWriteOutcome.Done;
            },
            cancellationToken);

    public Task<QosWriteOutcome> DisassociateAllAsync(string id, CancellationToken cancellationToken) =>
        WriteTypesAsync(
            async (db, ct) =>
            {
                if (!await db.QosSpecs.AnyAsync(q => q.Id == id, ct).ConfigureAwait(false))
                {
                    return QosWriteOutcome.NotFound;
                }

                await db.VolumeTypes.Where(t => t.QosSpecsId == id).ExecuteUpdateAsync(set => set.SetProperty(t => t.QosSpecsId, (string?)null), ct).ConfigureAwait(false);
                return QosWriteOutcome.Done;
            },
            cancellationToken);

    /// <summary>The back-end keys of the type's QoS specs (consumer back-end or both); empty for none or front-end ones.</summary>
    public async Task<IReadOnlyDictionary<string, string>> BackEndSpecsForTypeAsync(string typeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.VolumeTypes.AsNoTracking().Where(t => t.Id == typeId)
                .Join(db.QosSpecs.AsNoTracking(), t => t.QosSpecsId, q => q.Id, (t, q) => q)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return row is not null && QosConsumers.ForBackEnd(row.Consumer) ? MetadataJson.Deserialize(row.Specs) : new Dictionary<string, string>();
        }
    }

    private static QosSpecs ToSpecs(QosSpecsEntity row) => new(row.Id, row.Name, row.Consumer, MetadataJson.Deserialize(row.Specs), row.CreatedAt);

    /// <summary>A write that may change a type's <c>qos_specs_id</c>: the type repository's cached copy is dropped after it.</summary>
    private async Task<T> WriteTypesAsync<T>(Func<KilnDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await writes.RunAsync(write, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            types.Invalidate();
        }
    }
}
