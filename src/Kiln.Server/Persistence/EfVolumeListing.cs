using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Aggregates over volumes and snapshots for the API: list counts (3.45), the volume summary (3.12) and os-hosts usage.</summary>
internal interface IVolumeListing
{
    /// <summary>How many volumes pass the filters of <paramref name="query"/> (paging ignored), as Cinder's <c>with_count</c>.</summary>
    Task<int> CountVolumesAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>How many snapshots pass the filters of <paramref name="query"/> (paging ignored).</summary>
    Task<int> CountSnapshotsAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>Count, total size and every distinct metadata pair of the volumes that pass the filters of <paramref name="query"/> (paging ignored).</summary>
    Task<VolumeSummary> SummarizeAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>Volume and snapshot usage per project of the volumes on <paramref name="backendHost"/> (<c>host@backend</c>, any pool).</summary>
    Task<IReadOnlyList<HostUsage>> UsageOnBackendAsync(string backendHost, CancellationToken cancellationToken);
}

/// <summary>Cinder's <c>volume-summary</c>: <paramref name="Metadata"/> maps each key to its distinct values.</summary>
internal sealed record VolumeSummary(int Count, long TotalSizeGb, IReadOnlyDictionary<string, List<string>> Metadata);

/// <summary>One project's volumes and snapshots on a backend.</summary>
internal sealed record HostUsage(string ProjectId, int VolumeCount, long VolumeGb, int SnapshotCount, long SnapshotGb);

/// <inheritdoc cref="IVolumeListing"/>
internal sealed class EfVolumeListing(IDbContextFactory<KilnDbContext> contexts) : IVolumeListing
{
    public async Task<int> CountVolumesAsync(ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await Filtered(db, query).CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> CountSnapshotsAsync(ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = query.ProjectId is { } projectId ? db.Snapshots.Where(s => s.ProjectId == projectId) : db.Snapshots;
            if (query.Status is { } status)
            {
                rows = rows.Where(s => s.Status == status);
            }

            if (query.Name is { } name)
            {
                rows = rows.Where(s => s.Name == name);
            }

            if (query.VolumeId is { } volumeId)
            {
                rows = rows.Where(s => s.VolumeId == volumeId);
            }

            return await VolumeListFilters.Apply(rows, db.Volumes, query).CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<VolumeSummary> SummarizeAsync(ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = Filtered(db, query);

            // Sizes and metadata text only: metadata is a JSON column, so its pairs are gathered here.
            var volumes = await rows.AsNoTracking().Select(v => new { v.Size, v.Metadata }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var metadata = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var volume in volumes)
            {
                foreach (var (key, value) in MetadataJson.Deserialize(volume.Metadata))
                {
                    if (!metadata.TryGetValue(key, out var values))
                    {
                        values = [];
                        metadata[key] = values;
                    }

                    if (!values.Contains(value, StringComparer.Ordinal))
                    {
                        values.Add(value);
                    }
                }
            }

            return new VolumeSummary(volumes.Count, volumes.Sum(v => (long)v.Size), metadata);
        }
    }

    private static IQueryable<VolumeEntity> Filtered(KilnDbContext db, ListQuery query)
    {
        var rows = query.ProjectId is { } projectId ? db.Volumes.Where(v => v.ProjectId == projectId) : db.Volumes;
        if (query.Status is { } status)
        {
            rows = rows.Where(v => v.Status == status);
        }

        if (query.Name is { } name)
        {
            rows = rows.Where(v => v.Name == name);
        }

        return VolumeListFilters.Apply(rows, query);
    }

    public async Task<IReadOnlyList<HostUsage>> UsageOnBackendAsync(string backendHost, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var onBackend = EfVolumeRepository.OnBackend(db.Volumes, backendHost);
            var volumes = await onBackend.GroupBy(v => v.ProjectId)
                .Select(g => new { ProjectId = g.Key, Count = g.Count(), Size = g.Sum(v => (long)v.Size) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var snapshots = await db.Snapshots.Join(onBackend, s => s.VolumeId, v => v.Id, (s, _) => s)
                .GroupBy(s => s.ProjectId)
                .Select(g => new { ProjectId = g.Key, Count = g.Count(), Size = g.Sum(s => (long)s.Size) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return volumes
                .OrderBy(v => v.ProjectId, StringComparer.Ordinal)
                .Select(v =>
                {
                    var snaps = snapshots.Find(s => s.ProjectId == v.ProjectId);
                    return new HostUsage(v.ProjectId, v.Count, v.Size, snaps?.Count ?? 0, snaps?.Size ?? 0);
                })
                .ToList();
        }
    }
}
