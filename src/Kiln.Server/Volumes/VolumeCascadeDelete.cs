using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;

namespace Kiln.Server.Volumes;

/// <summary>
/// <c>DELETE /volumes/{id}?cascade=true</c>: the volume and its snapshots claimed together, then one
/// message to the volume role, which deletes the snapshots on the backend before the volume (and leaves
/// the volume <c>error_deleting</c>, untouched on the backend, if a snapshot cannot go). Refused with 409
/// while the backend is not ready, before anything changes. A message the broker cannot take (503) puts the
/// volume and every snapshot back in the status it had, so nothing waits in <c>deleting</c> for it.
/// </summary>
public sealed class VolumeCascadeDelete(
    IVolumeRepository volumes, ISnapshotRepository snapshots, ICascadeDeleteClaims claims, IMessageBus bus, IBackendStates backends, ILogger<VolumeCascadeDelete> logger)
{
    private static readonly VolumeStatus[] Deletable =
        [VolumeStatus.Available, VolumeStatus.Error, VolumeStatus.ErrorDeleting, VolumeStatus.ErrorExtending];

    public async Task<Outcome<Volume>> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        if (!Deletable.Contains(volume.Status))
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, Invalid(volume.Id));
        }

        if (volume.BackendHost is { } backend && backends.Find(backend) is var state && (state is null || !state.State.IsSchedulable()))
        {
            var why = state is null ? $"Backend {backend} is not known to this service." : VolumeManager.NotReadyReason(state);
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot delete volume {volume.Id}: {why}");
        }

        var claim = await claims.TryBeginAsync(volume.Id, Deletable, ownerProjectOnly: !caller.AllProjects, cancellationToken).ConfigureAwait(false);
        if (claim.UndeletableSnapshots > 0 || claim.OtherProjectSnapshots > 0 || claim.VolumesBeingCreated > 0)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, Invalid(volume.Id));
        }

        if (claim.Deleting is not { } deleting)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed status while the request was handled; try again.");
        }

        if (deleting.BackendHost is null)
        {
            // Never placed: nothing of it or its snapshots exists on any backend.
            foreach (var snapshot in await snapshots.ListByVolumeAsync(deleting.Id, cancellationToken).ConfigureAwait(false))
            {
                await snapshots.TryRemoveAsync(snapshot.Id, SnapshotStatus.Deleting, cancellationToken).ConfigureAwait(false);
            }

            await volumes.TryRemoveAsync(deleting.Id, VolumeStatus.Deleting, cancellationToken).ConfigureAwait(false);
            return deleting;
        }

        var (before, snapshotsBefore) = claim.Before!.Value;
        await bus.SendOrUndoAsync(
            Queues.Volume(deleting.BackendHost),
            new DeleteVolume(deleting.Id),
            async ct =>
            {
                foreach (var snapshot in snapshotsBefore)
                {
                    await snapshots.TryUpdateAsync(snapshot.Id, [SnapshotStatus.Deleting], s => s with { Status = snapshot.Status, ErrorReason = snapshot.ErrorReason }, ct)
                        .ConfigureAwait(false);
                }

                await volumes.TryUpdateAsync(deleting.Id, [VolumeStatus.Deleting], v => v with { Status = before.Status, ErrorReason = before.ErrorReason }, ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        return deleting;
    }

    // Cinder's refusal of a delete, cascade or not (cinder/volume/api.py delete).
    private static string Invalid(string id) =>
        $"Invalid volume: Volume status must be available or error or error_deleting or error_extending and must not be migrating, attached, belong to a group, " +
        $"have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer. With cascade=true the snapshots of volume {id} must be available or error.";
}
