namespace Kiln.Server.Quotas;

/// <summary>
/// A project's usage per volume type id (the empty string for volumes without a type), turned into
/// Cinder's resources. Counted from the volume and snapshot rows rather than kept in counters: a
/// volume uses quota from its insert until its row is removed, whatever its status (Cinder keeps
/// the quota of an <c>error</c> volume until it is deleted), and nothing can drift.
/// </summary>
public sealed class ProjectUsage(IReadOnlyDictionary<string, TypeUsage> byTypeId, long groups = 0)
{
    public static ProjectUsage None { get; } = new(new Dictionary<string, TypeUsage>());

    /// <summary>The usage of every global resource and of the per-type resources of <paramref name="typeNamesById"/>.</summary>
    public Dictionary<string, QuotaUsage> Resources(IReadOnlyDictionary<string, string> typeNamesById, bool noSnapshotGigabytes)
    {
        var total = byTypeId.Values.Aggregate(default(TypeUsage), Add);
        var result = QuotaResources.Global.ToDictionary(r => r, _ => default(QuotaUsage), StringComparer.Ordinal);
        AddResources(result, total, null, noSnapshotGigabytes);

        // Cinder's "groups" resource: one per group row of the project, whatever its status.
        result[QuotaResources.Groups] = new QuotaUsage(groups, 0);
        foreach (var (typeId, typeName) in typeNamesById)
        {
            AddResources(result, byTypeId.GetValueOrDefault(typeId), typeName, noSnapshotGigabytes);
        }

        return result;
    }

    private static void AddResources(Dictionary<string, QuotaUsage> result, TypeUsage usage, string? typeName, bool noSnapshotGigabytes)
    {
        string Name(string resource) => typeName is null ? resource : QuotaResources.PerType(resource, typeName);
        var gigabytes = usage.VolumeGigabytes + (noSnapshotGigabytes ? 0 : usage.SnapshotGigabytes);
        result[Name(QuotaResources.Volumes)] = new QuotaUsage(usage.Volumes, 0);
        result[Name(QuotaResources.Snapshots)] = new QuotaUsage(usage.Snapshots, 0);
        result[Name(QuotaResources.Gigabytes)] = new QuotaUsage(gigabytes, usage.ReservedGigabytes);
    }

    private static TypeUsage Add(TypeUsage a, TypeUsage b) => new(
        a.Volumes + b.Volumes, a.VolumeGigabytes + b.VolumeGigabytes, a.Snapshots + b.Snapshots, a.SnapshotGigabytes + b.SnapshotGigabytes, a.ReservedGigabytes + b.ReservedGigabytes);
}
