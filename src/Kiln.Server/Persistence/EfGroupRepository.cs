using Kiln.Core.Volumes;
using Kiln.Server.Groups;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Group types, groups and group snapshots in the database; one short-lived context per call.</summary>
internal sealed partial class EfGroupRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IGroupRepository
{
    public async Task<IReadOnlyList<GroupType>> ListTypesAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.GroupTypes.AsNoTracking().Include(t => t.Specs).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(t => t.ToGroupType());
        }
    }

    public async Task<GroupType?> FindTypeAsync(string idOrName, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.GroupTypes.AsNoTracking().Include(t => t.Specs).FirstOrDefaultAsync(t => t.Id == idOrName, cancellationToken).ConfigureAwait(false)
                ?? await db.GroupTypes.AsNoTracking().Include(t => t.Specs).FirstOrDefaultAsync(t => t.Name == idOrName, cancellationToken).ConfigureAwait(false);
            return entity?.ToGroupType();
        }
    }

    public Task<bool> TryAddTypeAsync(GroupType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await db.GroupTypes.AnyAsync(t => t.Name == type.Name, ct).ConfigureAwait(false))
                {
                    return false;
                }

                var entity = new GroupTypeEntity { Id = type.Id, Name = type.Name, Description = type.Description, IsPublic = type.IsPublic, CreatedAt = timeProvider.GetUtcNow() };
                entity.Specs.AddRange(type.GroupSpecs.Select(s => new GroupTypeSpecEntity { GroupTypeId = type.Id, Key = s.Key, Value = s.Value }));
                db.GroupTypes.Add(entity);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<GroupType?> UpdateTypeAsync(string id, string? name, string? description, bool? isPublic, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.GroupTypes.Include(t => t.Specs).FirstOrDefaultAsync(t => t.Id == id, ct).ConfigureAwait(false);
                if (entity is null || (name is not null && await db.GroupTypes.AnyAsync(t => t.Name == name && t.Id != id, ct).ConfigureAwait(false)))
                {
                    return null;
                }

                entity.Name = name ?? entity.Name;
                entity.Description = description ?? entity.Description;
                entity.IsPublic = isPublic ?? entity.IsPublic;
                entity.UpdatedAt = timeProvider.GetUtcNow();
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return entity.ToGroupType();
            },
            cancellationToken);

    public Task<TypeWriteOutcome> RemoveTypeAsync(string id, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                if (!await db.GroupTypes.AnyAsync(t => t.Id == id, ct).ConfigureAwait(false))
                {
                    return TypeWriteOutcome.NotFound;
                }

                if (await db.Groups.AnyAsync(g => g.GroupTypeId == id, ct).ConfigureAwait(false)
                    || await db.GroupSnapshots.AnyAsync(s => s.GroupTypeId == id, ct).ConfigureAwait(false))
                {
                    return TypeWriteOutcome.InUse;
                }

                await db.Set<GroupTypeSpecEntity>().Where(s => s.GroupTypeId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await db.GroupTypes.Where(t => t.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                return TypeWriteOutcome.Done;
            },
            cancellationToken);

    public Task<bool> SetSpecsAsync(string id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.GroupTypes.Include(t => t.Specs).FirstOrDefaultAsync(t => t.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return false;
                }

                foreach (var (key, value) in specs)
                {
                    if (entity.Specs.Find(s => s.Key == key) is { } existing)
                    {
                        existing.Value = value;
                    }
                    else
                    {
                        entity.Specs.Add(new GroupTypeSpecEntity { GroupTypeId = id, Key = key, Value = value });
                    }
                }

                entity.UpdatedAt = timeProvider.GetUtcNow();
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<TypeWriteOutcome> UnsetSpecAsync(string id, string key, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) => await db.Set<GroupTypeSpecEntity>().Where(s => s.GroupTypeId == id && s.Key == key).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0
                ? TypeWriteOutcome.Done
                : TypeWriteOutcome.NotFound,
            cancellationToken);

    public Task<Quotas.QuotaDenial?> AddAsync(Group group, Quotas.QuotaCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await EfQuotaStore.LockAndCheckAsync(db, group.ProjectId, [new(Quotas.QuotaResources.Groups, 1)], check, ct).ConfigureAwait(false) is { } denial)
                {
                    return denial;
                }

                db.Groups.Add(GroupEntity.From(group));
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return (Quotas.QuotaDenial?)null;
            },
            cancellationToken);
    }

    public async Task<Group?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entity = await db.Groups.AsNoTracking().Include(g => g.VolumeTypes).FirstOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false);
            return entity?.ToGroup();
        }
    }

    public Task<IReadOnlyList<Group>> ListAsync(string? projectId, CancellationToken cancellationToken) =>
        QueryGroupsAsync(groups => projectId is null ? groups : groups.Where(g => g.ProjectId == projectId), cancellationToken);

    public Task<IReadOnlyList<Group>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken)
    {
        // As EfVolumeRepository.OnBackend: a range, not substr, so an index on host can serve it.
        var (from, to) = EfVolumeRepository.PoolRange(backendHost);
#pragma warning disable CA1309 // Translated to SQL's >= and <, compared by the database byte by byte; never run in .NET.
        return QueryGroupsAsync(groups => groups.Where(g => g.Host == backendHost || (string.Compare(g.Host, from) >= 0 && string.Compare(g.Host, to) < 0)), cancellationToken);
#pragma warning restore CA1309
    }

    public Task<IReadOnlyList<Group>> ListUnscheduledAsync(CancellationToken cancellationToken)
    {
        var creating = GroupStatus.Creating.ToWireName();
        return QueryGroupsAsync(groups => groups.Where(g => g.Host == null && g.Status == creating), cancellationToken);
    }

    public Task<Group?> TryUpdateAsync(string id, IReadOnlyCollection<GroupStatus> expected, Func<Group, Group> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(change);
        return writes.RunAsync(
            async (db, ct) =>
            {
                var entity = await db.Groups.Include(g => g.VolumeTypes).FirstOrDefaultAsync(g => g.Id == id, ct).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                var current = entity.ToGroup();
                if (!expected.Contains(current.Status))
                {
                    return null;
                }

                var changed = change(current) with { Id = id, UpdatedAt = timeProvider.GetUtcNow() };
                entity.Apply(changed);
                return await ConditionalWrite.SaveAsync(db, ct).ConfigureAwait(false) ? changed : null;
            },
            cancellationToken);
    }

    public Task<bool> TryRemoveAsync(string id, GroupStatus expected, CancellationToken cancellationToken)
    {
        var status = expected.ToWireName();
        return writes.RunAsync(
            async (db, ct) =>
            {
                if (await db.Volumes.AnyAsync(v => v.GroupId == id, ct).ConfigureAwait(false))
                {
                    return false;
                }

                await db.Set<GroupVolumeTypeMappingEntity>().Where(m => m.GroupId == id && db.Groups.Any(g => g.Id == id && g.Status == status)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                return await db.Groups.Where(g => g.Id == id && g.Status == status).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<Volume>> ListVolumesAsync(string groupId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.Volumes.AsNoTracking().Where(v => v.GroupId == groupId).OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(v => v.ToVolume());
        }
    }

    private async Task<IReadOnlyList<Group>> QueryGroupsAsync(Func<IQueryable<GroupEntity>, IQueryable<GroupEntity>> filter, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await filter(db.Groups.AsNoTracking().Include(g => g.VolumeTypes)).OrderByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(g => g.ToGroup());
        }
    }
}
