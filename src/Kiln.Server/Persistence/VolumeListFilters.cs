using System.Text.Json;
using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// The list filters beyond name and status, as Cinder's database layer applies them: availability
/// zone, bootable, owner project, metadata pairs (volume metadata or admin metadata, as Cinder's
/// <c>volume_metadata</c>/<c>volume_admin_metadata</c> OR) and the inexact <c>key~</c> filters, which are
/// Cinder's <c>LIKE '%value%'</c> (so <c>%</c> and <c>_</c> in the value are wildcards there too).
/// </summary>
internal static class VolumeListFilters
{
    public static IQueryable<VolumeEntity> Apply(IQueryable<VolumeEntity> volumes, ListQuery query)
    {
        if (query.MatchesNothing)
        {
            return volumes.Where(v => false);
        }

        if (query.AvailabilityZone is { } zone)
        {
            volumes = volumes.Where(v => v.AvailabilityZone == zone);
        }

        if (query.Bootable is { } bootable)
        {
            volumes = volumes.Where(v => v.Bootable == bootable);
        }

        if (query.OwnerProjectId is { } owner)
        {
            volumes = volumes.Where(v => v.ProjectId == owner);
        }

        foreach (var (key, value) in query.Metadata ?? new Dictionary<string, string>())
        {
            var (first, last, middle, only) = Patterns(key, value);
            volumes = volumes.Where(v =>
                v.Metadata.Contains(first) || v.Metadata.Contains(last) || v.Metadata.Contains(middle) || v.Metadata.Contains(only)
                || (v.AdminMetadata != null
                    && (v.AdminMetadata.Contains(first) || v.AdminMetadata.Contains(last) || v.AdminMetadata.Contains(middle) || v.AdminMetadata.Contains(only))));
        }

        foreach (var (column, text) in query.Inexact ?? new Dictionary<string, string>())
        {
            var pattern = $"%{text}%";
            volumes = column switch
            {
                "name" => volumes.Where(v => v.Name != null && EF.Functions.Like(v.Name, pattern)),
                "description" => volumes.Where(v => v.Description != null && EF.Functions.Like(v.Description, pattern)),
                "status" => volumes.Where(v => EF.Functions.Like(v.Status, pattern)),
                _ => throw new ArgumentException($"Volumes cannot be filtered by '{column}~'.", nameof(query)),
            };
        }

        return volumes;
    }

    /// <summary>Snapshots: metadata, availability zone (their volume's, as Cinder joins it) and the inexact filters.</summary>
    public static IQueryable<SnapshotEntity> Apply(IQueryable<SnapshotEntity> snapshots, IQueryable<VolumeEntity> volumes, ListQuery query)
    {
        if (query.MatchesNothing)
        {
            return snapshots.Where(s => false);
        }

        if (query.AvailabilityZone is { } zone)
        {
            snapshots = snapshots.Where(s => volumes.Any(v => v.Id == s.VolumeId && v.AvailabilityZone == zone));
        }

        foreach (var (key, value) in query.Metadata ?? new Dictionary<string, string>())
        {
            var (first, last, middle, only) = Patterns(key, value);
            snapshots = snapshots.Where(s => s.Metadata.Contains(first) || s.Metadata.Contains(last) || s.Metadata.Contains(middle) || s.Metadata.Contains(only));
        }

        foreach (var (column, text) in query.Inexact ?? new Dictionary<string, string>())
        {
            var pattern = $"%{text}%";
            snapshots = column switch
            {
                "name" => snapshots.Where(s => s.Name != null && EF.Functions.Like(s.Name, pattern)),
                "description" => snapshots.Where(s => s.Description != null && EF.Functions.Like(s.Description, pattern)),
                "status" => snapshots.Where(s => EF.Functions.Like(s.Status, pattern)),
                _ => throw new ArgumentException($"Snapshots cannot be filtered by '{column}~'.", nameof(query)),
            };
        }

        return snapshots;
    }

    /// <summary>
    /// The texts a stored metadata object contains exactly when it holds <paramref name="key"/> =
    /// <paramref name="value"/>. Serialized as <see cref="MetadataJson"/> writes it, a quote inside a key
    /// or value is escaped, so an unescaped <c>"key":"value"</c> after <c>{</c> or <c>,</c> and before
    /// <c>,</c> or <c>}</c> can only be that pair (a value follows a colon, never a brace or comma).
    /// </summary>
    private static (string First, string Last, string Middle, string Only) Patterns(string key, string value)
    {
        var pair = JsonSerializer.Serialize(new Dictionary<string, string> { [key] = value })[1..^1];
        return ("{" + pair + ",", "," + pair + "}", "," + pair + ",", "{" + pair + "}");
    }
}
