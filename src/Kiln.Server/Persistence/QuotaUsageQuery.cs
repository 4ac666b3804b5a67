using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Counts a project's usage from its volume, snapshot, reservation and group rows (four queries; the first three grouped by volume type).</summary>
internal static class QuotaUsageQuery
{
    private static readonly string Extending = VolumeStatus.Extending.ToWireName();

    public static async Task<ProjectUsage> ReadAsync(KilnDbContext db, string projectId, CancellationToken cancellationToken)
    {
        var volumes = await db.Volumes.AsNoTracking().Where(v => v.ProjectId == projectId)
            .GroupBy(v => v.VolumeTypeId)
            .Select(g => new { TypeId = g.Key, Count = g.LongCount(), Gigabytes = g.Sum(v => (long)v.Size) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.ProjectId == projectId)
            .Select(s => new { s.Size, TypeId = db.Volumes.Where(v => v.Id == s.VolumeId).Select(v => v.VolumeTypeId).FirstOrDefault() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        // A reservation counts only while its volume is extending: once the extend ends it is stale.
        var reserved = await db.QuotaReservations.AsNoTracking().Where(r => r.ProjectId == projectId)
            .Join(db.Volumes.Where(v => v.Status == Extending), r => r.VolumeId, v => v.Id, (r, v) => new { r.Gigabytes, TypeId = v.VolumeTypeId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var byType = new Dictionary<string, TypeUsage>(StringComparer.Ordinal);
        foreach (var v in volumes)
        {
            Add(byType, v.TypeId, u => u with { Volumes = u.Volumes + v.Count, VolumeGigabytes = u.VolumeGigabytes + v.Gigabytes });
        }

        foreach (var s in snapshots)
        {
            Add(byType, s.TypeId, u => u with { Snapshots = u.Snapshots + 1, SnapshotGigabytes = u.SnapshotGigabytes + s.Size });
        }

        foreach (var r in reserved)
        {
            Add(byType, r.TypeId, u => u with { ReservedGigabytes = u.ReservedGigabytes + r.Gigabytes });
        }

        var groups = await db.Groups.AsNoTracking().LongCountAsync(g => g.ProjectId == projectId, cancellationToken).ConfigureAwait(false);
        return new ProjectUsage(byType, groups);
    }

    private static void Add(Dictionary<string, TypeUsage> byType, string? typeId, Func<TypeUsage, TypeUsage> change) =>
        byType[typeId ?? string.Empty] = change(byType.GetValueOrDefault(typeId ?? string.Empty));
}
