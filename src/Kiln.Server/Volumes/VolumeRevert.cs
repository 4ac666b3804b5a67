using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;

namespace Kiln.Server.Volumes;

/// <summary>
/// <c>revert</c> (3.40): back to the volume's latest snapshot only, as Cinder checks. The volume
/// (<c>available</c> → <c>reverting</c>) and the snapshot (<c>available</c> → <c>restoring</c>) are claimed in
/// one transaction, then the volume role reverts on the driver; the start-up clean-up resumes a revert cut
/// short. A backend that is not ready: 409 and nothing changes; a message the broker cannot take: 503 and
/// both are <c>available</c> again.
/// </summary>
public sealed class VolumeRevert(
    IVolumeRepository volumes, ISnapshotRepository snapshots, IRevertClaims claims, IMessageBus bus, IBackendStates backends, ILogger<VolumeRevert> logger)
{
    public async Task<Outcome<Volume>> RevertAsync(Caller caller, string id, string snapshotId, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        var snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || !caller.Sees(snapshot.ProjectId))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Snapshot {snapshotId} could not be found.");
        }

        // Cinder's volume.get_latest_snapshot(): the newest by creation time.
        var latest = (await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).FirstOrDefault();
        if (latest is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"No snapshots found for volume {volume.Id}.");
        }

        if (latest.Id != snapshot.Id)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Specified snapshot {snapshot.Id} is not the latest one.");
        }

        if (volume.Status != VolumeStatus.Available || snapshot.Status != SnapshotStatus.Available)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, Invalid(volume, snapshot));
        }

        if (volume.BackendHost is not { } backend)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: volume {volume.Id} is not placed on any backend.");
        }

        var state = backends.Find(backend);
        if (state is null || !state.State.IsSchedulable())
        {
            var why = state is null ? $"Backend {backend} is not known to this service." : VolumeManager.NotReadyReason(state);
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot revert volume {volume.Id}: {why}");
        }

        var reverting = await claims.TryBeginAsync(volume.Id, snapshot.Id, cancellationToken).ConfigureAwait(false);
        if (reverting is null)
        {
            var volumeNow = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
            var snapshotNow = await snapshots.FindAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
            return volumeNow is null || snapshotNow is null
                ? Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {volume.Id} or snapshot {snapshot.Id} could not be found.")
                : Outcome<Volume>.Refuse(Refusal.BadRequest, Invalid(volumeNow, snapshotNow));
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(backend),
            new RevertToSnapshot(volume.Id, snapshot.Id),
            async ct =>
            {
                // The claim moved both from available (IRevertClaims), so both go back to it.
                await snapshots.TryUpdateAsync(snapshot.Id, [SnapshotStatus.Restoring], s => s with { Status = SnapshotStatus.Available }, ct).ConfigureAwait(false);
                await volumes.TryUpdateAsync(volume.Id, [VolumeStatus.Reverting], v => v with { Status = VolumeStatus.Available }, ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        return reverting;
    }

    private static string Invalid(Volume volume, Snapshot snapshot) =>
        $"Invalid volume: The volume and the snapshot must be available to revert: volume {volume.Id} is {volume.Status.ToWireName()} and snapshot {snapshot.Id} is {snapshot.Status.ToWireName()}.";
}

/// <summary>The conditional write that starts a revert.</summary>
public interface IRevertClaims
{
    /// <summary>
    /// Moves the volume from <c>available</c> to <c>reverting</c> and the snapshot from <c>available</c> to
    /// <c>restoring</c>, in one transaction after the volume's row is locked, only if both are available and the
    /// snapshot is still the volume's latest; the volume as claimed, or null.
    /// </summary>
    Task<Volume?> TryBeginAsync(string volumeId, string snapshotId, CancellationToken cancellationToken);
}
