using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Types;

/// <summary>A project's default volume type (3.62).</summary>
internal sealed record ProjectDefaultType(string ProjectId, string VolumeTypeId);

/// <summary>Projects' default volume types (<c>default_volume_types</c>), one per project.</summary>
internal sealed class DefaultTypeStore(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider)
{
    public async Task<ProjectDefaultType?> FindAsync(string projectId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.DefaultVolumeTypes.AsNoTracking().FirstOrDefaultAsync(d => d.ProjectId == projectId, cancellationToken).ConfigureAwait(false);
            return row is null ? null : new ProjectDefaultType(row.ProjectId, row.VolumeTypeId);
        }
    }

    public async Task<IReadOnlyList<ProjectDefaultType>> ListAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.DefaultVolumeTypes.AsNoTracking().OrderBy(d => d.ProjectId).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(d => new ProjectDefaultType(d.ProjectId, d.VolumeTypeId));
        }
    }

    /// <summary>Whether the type is some project's default (such a type cannot be deleted, as in Cinder).</summary>
    public async Task<bool> IsDefaultOfAnyAsync(string typeId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.DefaultVolumeTypes.AnyAsync(d => d.VolumeTypeId == typeId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets or replaces the project's default; null when the type is gone meanwhile.</summary>
    public Task<ProjectDefaultType?> SetAsync(string projectId, string typeId, CancellationToken cancellationToken) =>
        writes.RunAsync<ProjectDefaultType?>(
            async (db, ct) =>
            {
                if (!await RowLocks.VolumeTypeAsync(db, typeId, ct).ConfigureAwait(false))
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                var row = await db.DefaultVolumeTypes.FirstOrDefaultAsync(d => d.ProjectId == projectId, ct).ConfigureAwait(false);
                if (row is null)
                {
                    db.DefaultVolumeTypes.Add(new DefaultVolumeTypeEntity { ProjectId = projectId, VolumeTypeId = typeId, CreatedAt = now });
                }
                else
                {
                    row.VolumeTypeId = typeId;
                    row.UpdatedAt = now;
                }

                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return new ProjectDefaultType(projectId, typeId);
            },
            cancellationToken);

    /// <summary>Unsets the project's default; unsetting one that is not set is fine, as in Cinder.</summary>
    public Task UnsetAsync(string projectId, CancellationToken cancellationToken) =>
        writes.RunAsync(async (db, ct) => await db.DefaultVolumeTypes.Where(d => d.ProjectId == projectId).ExecuteDeleteAsync(ct).ConfigureAwait(false), cancellationToken);
}
