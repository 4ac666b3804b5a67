using Kiln.Core.Volumes;

namespace Kiln.Core.Attachments;

/// <summary>
/// Where attachments are stored. Every write that changes a volume's attachments also sets the
/// volume's status in the same transaction, so the two never disagree, even across a crash.
/// </summary>
public interface IAttachmentRepository
{
    Task<VolumeAttachment?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<VolumeAttachment>> ListByVolumeAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>The attachments of each of <paramref name="volumeIds"/> (volumes without any are absent).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<VolumeAttachment>>> ListByVolumesAsync(IReadOnlyCollection<string> volumeIds, CancellationToken cancellationToken);

    /// <summary>Attachments whose volume is in the query's project (every project when it names none), filtered as the query says.</summary>
    Task<IReadOnlyList<VolumeAttachment>> QueryAsync(AttachmentQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="attachment"/> if its volume's status is one of <paramref name="expected"/>
    /// at the moment of the write, and then sets the volume's status to <paramref name="volumeStatus"/>
    /// (unchanged when null). False when the volume is gone or its status is not one expected.
    /// </summary>
    Task<bool> TryAddAsync(VolumeAttachment attachment, IReadOnlyCollection<VolumeStatus> expected, VolumeStatus? volumeStatus, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the attachment and, when <paramref name="volumeStatus"/> is
    /// given, sets its volume's status, in one transaction. Null when the attachment is gone.
    /// </summary>
    Task<VolumeAttachment?> TryUpdateAsync(string id, Func<VolumeAttachment, VolumeAttachment> change, VolumeStatus? volumeStatus, CancellationToken cancellationToken);

    /// <summary>
    /// Cinder's <c>volume_detached</c>: removes the attachment (if still there) and sets the volume's
    /// status from the attachments left (<see cref="AttachStatusNames.ForVolume"/>), unless the volume
    /// is in a status that is not about attachments (error, maintenance, …), which stays. Returns the
    /// attachments left.
    /// </summary>
    Task<IReadOnlyList<VolumeAttachment>> RemoveAsync(string volumeId, string? attachmentId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the volume's status from its attachments, as <see cref="RemoveAsync"/> does, only if its
    /// status is one of <paramref name="expected"/>; the new status, or null when it was not (or already was that status).
    /// </summary>
    Task<VolumeStatus?> TrySettleAsync(string volumeId, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken);
}

/// <summary>Cinder's attachment list filters (<c>volume_id</c>, <c>status</c>/<c>attach_status</c>, <c>instance_id</c>) and the project scope.</summary>
public sealed record AttachmentQuery
{
    public string? ProjectId { get; init; }

    public string? VolumeId { get; init; }

    /// <summary>Wire name of the attach status to keep.</summary>
    public string? Status { get; init; }

    public string? InstanceUuid { get; init; }
}
