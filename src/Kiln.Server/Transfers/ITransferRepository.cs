using Kiln.Server.Quotas;

namespace Kiln.Server.Transfers;

/// <summary>
/// Transfers in the database. Each write changes the transfer and its volume (and snapshots) in one
/// transaction, guarded by the volume's status, so a transfer and a delete, extend or second transfer
/// of the same volume cannot both win.
/// </summary>
public interface ITransferRepository
{
    /// <summary>
    /// Inserts <paramref name="transfer"/> and moves its volume from <c>available</c> to
    /// <c>awaiting-transfer</c>, unless the volume is no longer available or (when the transfer takes
    /// snapshots) one of its snapshots is not <c>available</c>.
    /// </summary>
    Task<TransferWrite> AddAsync(VolumeTransfer transfer, CancellationToken cancellationToken);

    /// <summary>A transfer not accepted yet, by id; null when there is none.</summary>
    Task<VolumeTransfer?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Transfers not accepted yet, of <paramref name="projectId"/> (every project when null), oldest first.</summary>
    Task<IReadOnlyList<VolumeTransfer>> ListAsync(string? projectId, CancellationToken cancellationToken);

    /// <summary>Removes a pending transfer and returns its volume from <c>awaiting-transfer</c> to <c>available</c>; false when it was already gone.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the volume (and, unless <see cref="VolumeTransfer.NoSnapshots"/>, its snapshots) to
    /// <paramref name="projectId"/> and <paramref name="userId"/>, back in <c>available</c>, and marks the
    /// transfer accepted; in one transaction that first takes the receiving project's quota lock and
    /// checks <paramref name="charges"/> against its limits. The donor's usage drops in the same commit
    /// (usage is counted from the rows).
    /// </summary>
    Task<TransferWrite> AcceptAsync(VolumeTransfer transfer, string projectId, string? userId, IReadOnlyList<QuotaCharge> charges, QuotaCheck check, CancellationToken cancellationToken);
}

/// <summary>What a guarded transfer write did.</summary>
public enum TransferWriteOutcome
{
    Done,

    /// <summary>The transfer (or its volume) is gone: another request won.</summary>
    Gone,

    /// <summary>The volume is not in the status the write needs.</summary>
    VolumeStatusChanged,

    /// <summary>A snapshot of the volume is not <c>available</c> (create only).</summary>
    SnapshotNotAvailable,

    /// <summary>The receiving project is over a quota (accept only).</summary>
    OverQuota,
}

/// <summary>The outcome of a guarded transfer write, with the quota denial or the snapshot that blocked it.</summary>
public sealed record TransferWrite(TransferWriteOutcome Outcome, QuotaDenial? Denial = null, string? SnapshotId = null);
