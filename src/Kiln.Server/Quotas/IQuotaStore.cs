using Kiln.Core.Volumes;

namespace Kiln.Server.Quotas;

/// <summary>Quota limits and usage in the database, and the writes that consume quota atomically with the row they add.</summary>
public interface IQuotaStore
{
    /// <summary>The limits stored for a project (<c>quotas</c>) or a class (<c>quota_classes</c>) only: what is not stored falls back to the defaults.</summary>
    Task<IReadOnlyDictionary<string, int>> StoredLimitsAsync(QuotaOwner owner, CancellationToken cancellationToken);

    /// <summary>Adds or overwrites the given limits of a project or class.</summary>
    Task SetLimitsAsync(QuotaOwner owner, IReadOnlyDictionary<string, int> limits, CancellationToken cancellationToken);

    /// <summary>Removes every limit stored for a project, which returns to the defaults.</summary>
    Task RemoveProjectLimitsAsync(string projectId, CancellationToken cancellationToken);

    Task<ProjectUsage> UsageAsync(string projectId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts <paramref name="volume"/> unless one of <paramref name="charges"/> goes over its limit
    /// (the denial), or its source snapshot or volume is no longer <c>available</c>, or its type is gone
    /// (the conflict), in one transaction that first takes the project's quota lock, then the rows of
    /// the source and the type, so a delete of either cannot win at the same moment.
    /// </summary>
    Task<(InsertConflict Conflict, QuotaDenial? Denial)> AddVolumeAsync(Volume volume, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="snapshot"/> as <see cref="AddVolumeAsync"/> does, only while its volume is <c>available</c>.</summary>
    Task<(InsertConflict Conflict, QuotaDenial? Denial)> AddSnapshotAsync(Snapshot snapshot, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an available volume to <c>extending</c> and reserves the gigabytes it grows by, unless a
    /// charge goes over its limit or (with <paramref name="room"/>) the growth does not fit in the pool's
    /// room as the database records it; <c>Claimed</c> is false when the volume was no longer available,
    /// <c>PoolFullGb</c> the GB recorded on the pool when it had no room (nothing changed).
    /// </summary>
    Task<(bool Claimed, QuotaDenial? Denial, long? PoolFullGb)> BeginExtendAsync(
        Volume volume, int newSize, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, Scheduling.PoolRoom? room, CancellationToken cancellationToken);
}
