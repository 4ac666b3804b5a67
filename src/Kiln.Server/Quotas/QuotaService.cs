using Kiln.Core.Volumes;
using Kiln.Server.Configuration;

namespace Kiln.Server.Quotas;

/// <summary>
/// Cinder's quota engine: the resources (global and per volume type), their limits (a project's own,
/// else the <c>default</c> class, else kiln.conf), usage, and the checks of the requests that consume quota.
/// </summary>
public sealed class QuotaService(IQuotaStore store, IVolumeTypeRepository types, KilnConfiguration configuration)
{
    public QuotaDefaults Defaults => configuration.Quotas;

    /// <summary>Every resource a quota set has now: the global ones, then three per volume type.</summary>
    public async Task<IReadOnlyList<string>> ResourcesAsync(CancellationToken cancellationToken) =>
        [.. QuotaResources.All((await types.ListAsync(cancellationToken).ConfigureAwait(false)).Select(t => t.Name))];

    /// <summary>The defaults every project starts with: the <c>default</c> class where it sets a limit, else kiln.conf.</summary>
    public Task<QuotaLimits> DefaultLimitsAsync(CancellationToken cancellationToken) => ClassLimitsAsync(QuotaOwner.DefaultClass, cancellationToken);

    /// <summary>A class's limits over the defaults.</summary>
    public async Task<QuotaLimits> ClassLimitsAsync(string className, CancellationToken cancellationToken)
    {
        var defaults = await store.StoredLimitsAsync(QuotaOwner.Class(QuotaOwner.DefaultClass), cancellationToken).ConfigureAwait(false);
        var own = await store.StoredLimitsAsync(QuotaOwner.Class(className), cancellationToken).ConfigureAwait(false);
        return await MergeAsync(own, defaults, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A project's limits: its own over the defaults.</summary>
    public async Task<QuotaLimits> ProjectLimitsAsync(string projectId, CancellationToken cancellationToken)
    {
        var defaults = await store.StoredLimitsAsync(QuotaOwner.Class(QuotaOwner.DefaultClass), cancellationToken).ConfigureAwait(false);
        var own = await store.StoredLimitsAsync(QuotaOwner.Project(projectId), cancellationToken).ConfigureAwait(false);
        return await MergeAsync(own, defaults, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The usage of every resource of a project (per-type resources of every volume type).</summary>
    public async Task<IReadOnlyDictionary<string, QuotaUsage>> UsageAsync(string projectId, CancellationToken cancellationToken)
    {
        var all = await types.ListAsync(cancellationToken).ConfigureAwait(false);
        var usage = await store.UsageAsync(projectId, cancellationToken).ConfigureAwait(false);
        return usage.Resources(all.ToDictionary(t => t.Id, t => t.Name, StringComparer.Ordinal), Defaults.NoSnapshotGigabytes);
    }

    /// <summary>Inserts the volume when the project's quotas allow it and its source and type are still there (see <see cref="IQuotaStore.AddVolumeAsync"/>); Cinder's 413 message or the conflict otherwise.</summary>
    public async Task<InsertResult> AddVolumeAsync(Volume volume, VolumeType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(type);
        var limits = await ProjectLimitsAsync(volume.ProjectId, cancellationToken).ConfigureAwait(false);
        if (OverPerVolumeLimit(volume.SizeGb, limits) is { } tooLarge)
        {
            return new InsertResult(InsertConflict.None, tooLarge);
        }

        QuotaCharge[] charges =
        [
            new(QuotaResources.Volumes, 1),
            new(QuotaResources.Gigabytes, volume.SizeGb),
            new(QuotaResources.PerType(QuotaResources.Volumes, type.Name), 1),
            new(QuotaResources.PerType(QuotaResources.Gigabytes, type.Name), volume.SizeGb),
        ];
        var (conflict, denial) = await store.AddVolumeAsync(volume, charges, Check(limits, type), cancellationToken).ConfigureAwait(false);
        return new InsertResult(conflict, denial?.Message);
    }

    /// <summary>Inserts the snapshot when the project's quotas allow it (its gigabytes count unless <c>no_snapshot_gb_quota</c>) and its volume is still <c>available</c>.</summary>
    public async Task<InsertResult> AddSnapshotAsync(Snapshot snapshot, string? volumeTypeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var limits = await ProjectLimitsAsync(snapshot.ProjectId, cancellationToken).ConfigureAwait(false);
        var type = volumeTypeId is null ? null : await types.FindAsync(volumeTypeId, cancellationToken).ConfigureAwait(false);
        var charges = new List<QuotaCharge> { new(QuotaResources.Snapshots, 1) };
        if (!Defaults.NoSnapshotGigabytes)
        {
            charges.Add(new(QuotaResources.Gigabytes, snapshot.SizeGb));
        }

        if (type is not null)
        {
            charges.Add(new(QuotaResources.PerType(QuotaResources.Snapshots, type.Name), 1));
            if (!Defaults.NoSnapshotGigabytes)
            {
                charges.Add(new(QuotaResources.PerType(QuotaResources.Gigabytes, type.Name), snapshot.SizeGb));
            }
        }

        var (conflict, denial) = await store.AddSnapshotAsync(snapshot, charges, Check(limits, type), cancellationToken).ConfigureAwait(false);
        return new InsertResult(conflict, denial?.Message);
    }

    /// <summary>
    /// Claims an available volume for an extend to <paramref name="newSize"/> with the extra gigabytes reserved,
    /// and, with <paramref name="room"/>, only while they fit on its pool as the database records it.
    /// </summary>
    /// <returns>Claimed false when the volume changed status first; a 413 message when over quota; the GB recorded on a full pool.</returns>
    public async Task<(bool Claimed, string? Denial, long? PoolFullGb)> BeginExtendAsync(Volume volume, int newSize, Scheduling.PoolRoom? room, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var limits = await ProjectLimitsAsync(volume.ProjectId, cancellationToken).ConfigureAwait(false);
        if (OverPerVolumeLimit(newSize, limits) is { } tooLarge)
        {
            return (true, tooLarge, null);
        }

        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        var growth = newSize - volume.SizeGb;
        var charges = new List<QuotaCharge> { new(QuotaResources.Gigabytes, growth) };
        if (type is not null)
        {
            charges.Add(new(QuotaResources.PerType(QuotaResources.Gigabytes, type.Name), growth));
        }

        var (claimed, denial, poolFull) = await store.BeginExtendAsync(volume, newSize, charges, Check(limits, type), room, cancellationToken).ConfigureAwait(false);
        return (claimed, denial?.Message, poolFull);
    }

    // Cinder's VolumeSizeExceedsLimit, a QuotaError: 413 like the others.
    private static string? OverPerVolumeLimit(int size, QuotaLimits limits) =>
        limits.Of(QuotaResources.PerVolumeGigabytes) is var limit && limit != QuotaResources.Unlimited && size > limit
            ? $"Requested volume size {size}G is larger than maximum allowed limit {limit}G."
            : null;

    private QuotaCheck Check(QuotaLimits limits, VolumeType? type) => new(
        limits,
        type is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [type.Id] = type.Name },
        Defaults.NoSnapshotGigabytes);

    private async Task<QuotaLimits> MergeAsync(IReadOnlyDictionary<string, int> own, IReadOnlyDictionary<string, int> defaults, CancellationToken cancellationToken)
    {
        var resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        return new QuotaLimits(resources.ToDictionary(
            r => r,
            r => own.TryGetValue(r, out var mine) ? mine : defaults.TryGetValue(r, out var byDefault) ? byDefault : Defaults.For(r),
            StringComparer.Ordinal));
    }

    /// <summary>Stores limits for a project or class (validated by the caller).</summary>
    public Task SetLimitsAsync(QuotaOwner owner, IReadOnlyDictionary<string, int> limits, CancellationToken cancellationToken) =>
        store.SetLimitsAsync(owner, limits, cancellationToken);

    /// <summary>Drops a project's own limits: it returns to the defaults.</summary>
    public Task RemoveProjectLimitsAsync(string projectId, CancellationToken cancellationToken) =>
        store.RemoveProjectLimitsAsync(projectId, cancellationToken);
}
