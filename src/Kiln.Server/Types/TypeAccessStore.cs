using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Types;

/// <summary>How a type access write ended.</summary>
internal enum TypeAccessOutcome
{
    Done,
    TypeNotFound,
    PublicType,
    Exists,
    NotFound,
}

/// <summary>The projects that may use each private volume type (<c>volume_type_projects</c>).</summary>
internal sealed class TypeAccessStore(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider)
{
    /// <summary>The projects with access to the type, in the order access was given.</summary>
    public async Task<IReadOnlyList<string>> ProjectsAsync(string typeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.VolumeTypeProjects.AsNoTracking().Where(a => a.VolumeTypeId == typeId).OrderBy(a => a.CreatedAt).ThenBy(a => a.ProjectId)
                .Select(a => a.ProjectId).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The private types <paramref name="projectId"/> may use.</summary>
    public async Task<IReadOnlySet<string>> TypesOfProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var ids = await db.VolumeTypeProjects.AsNoTracking().Where(a => a.ProjectId == projectId).Select(a => a.VolumeTypeId)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return ids.ToHashSet(StringComparer.Ordinal);
        }
    }

    public async Task<bool> HasAccessAsync(string typeId, string projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.VolumeTypeProjects.AnyAsync(a => a.VolumeTypeId == typeId && a.ProjectId == projectId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives <paramref name="projectId"/> access to a private type; refused for a public type or access already given, as in Cinder.</summary>
    public Task<TypeAccessOutcome> AddAsync(string typeId, string projectId, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var type = await db.VolumeTypes.AsNoTracking().Where(t => t.Id == typeId).Select(t => new { t.IsPublic }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
                if (type is null)
                {
                    return TypeAccessOutcome.TypeNotFound;
                }

                if (type.IsPublic)
                {
                    return TypeAccessOutcome.PublicType;
                }

                if (await db.VolumeTypeProjects.AnyAsync(a => a.VolumeTypeId == typeId && a.ProjectId == projectId, ct).ConfigureAwait(false))
                {
                    return TypeAccessOutcome.Exists;
                }

                db.VolumeTypeProjects.Add(new VolumeTypeProjectEntity { VolumeTypeId = typeId, ProjectId = projectId, CreatedAt = timeProvider.GetUtcNow() });
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return TypeAccessOutcome.Done;
            },
            cancellationToken);

    public Task<TypeAccessOutcome> RemoveAsync(string typeId, string projectId, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var type = await db.VolumeTypes.AsNoTracking().Where(t => t.Id == typeId).Select(t => new { t.IsPublic }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
                if (type is null)
                {
                    return TypeAccessOutcome.TypeNotFound;
                }

                if (type.IsPublic)
                {
                    return TypeAccessOutcome.PublicType;
                }

                return await db.VolumeTypeProjects.Where(a => a.VolumeTypeId == typeId && a.ProjectId == projectId).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0
                    ? TypeAccessOutcome.Done
                    : TypeAccessOutcome.NotFound;
            },
            cancellationToken);
}
