using Kiln.Core.Volumes;

namespace Kiln.Server.Volumes;

/// <summary>The conditional write behind <c>DELETE /volumes/{id}?cascade=true</c>.</summary>
public interface ICascadeDeleteClaims
{
    /// <summary>
    /// Moves the volume to <c>deleting</c> and all its snapshots with it, in one transaction after the
    /// volume's row is locked, only if the volume is in one of <paramref name="expected"/>, every snapshot
    /// is <c>available</c> or <c>error</c> (Cinder's deletable snapshots), no volume is being created from
    /// the volume or a snapshot, and (when <paramref name="ownerProjectOnly"/>) every snapshot belongs to the
    /// volume's project.
    /// </summary>
    Task<CascadeClaim> TryBeginAsync(string volumeId, IReadOnlyCollection<VolumeStatus> expected, bool ownerProjectOnly, CancellationToken cancellationToken);
}

/// <summary>
/// The claimed volume with its snapshots now <c>deleting</c>, or why not: snapshots that cannot be
/// deleted, snapshots of another project, volumes being created from it; or, none of these, its status.
/// </summary>
public sealed record CascadeClaim(Volume? Deleting, int Snapshots = 0, int UndeletableSnapshots = 0, int OtherProjectSnapshots = 0, int VolumesBeingCreated = 0)
{
    /// <summary>The volume and its snapshots as read under the claim's lock, before it moved them (put back when the message cannot be sent).</summary>
    public (Volume Volume, IReadOnlyList<Snapshot> Snapshots)? Before { get; init; }
}
