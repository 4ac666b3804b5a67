using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Counts volumes with one GROUP BY; the database does the counting, however many volumes there are.</summary>
internal sealed class EfVolumeCounts(IDbContextFactory<KilnDbContext> contexts) : IVolumeCounts
{
    public async Task<IReadOnlyList<VolumeCount>> CountByHostAndStatusAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Volumes.AsNoTracking()
                .GroupBy(v => new { v.Host, v.Status })
                .Select(g => new { g.Key.Host, g.Key.Status, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new VolumeCount(r.Host, r.Status, r.Count))];
        }
    }
}
