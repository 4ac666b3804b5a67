using Kiln.Core.Attachments;
using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Volumes;

namespace Kiln.Server.Attachments;

/// <summary>
/// The volume actions Nova used before attachments (3.27), as Cinder implements them:
/// <c>os-reserve</c>/<c>os-unreserve</c> and <c>os-begin_detaching</c>/<c>os-roll_detaching</c> only move the
/// volume's status; <c>os-attach</c> records an attachment (attached at once) and <c>os-detach</c> /
/// <c>os-force_detach</c> remove one, the volume's status following the attachments left.
/// </summary>
public sealed class LegacyAttachActions(
    IVolumeRepository volumes,
    IAttachmentRepository attachments,
    AttachmentService service,
    VolumeConnections connections,
    VolumeManager manager,
    TimeProvider timeProvider)
{
    public async Task<Outcome<Volume>> ReserveAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var expected = AttachmentRules.LegacyReservable(await service.IsMultiattachAsync(volume, cancellationToken).ConfigureAwait(false));
        if (!expected.Contains(volume.Status))
        {
            return Refused(expected, volume);
        }

        if (connections.Unreachable(volume, "attach") is { } unreachable)
        {
            return Outcome<Volume>.Refuse(unreachable.Refusal, unreachable.Message);
        }

        var reserved = await volumes.TryUpdateAsync(volume.Id, expected, v => v with { Status = VolumeStatus.Attaching }, cancellationToken).ConfigureAwait(false);
        if (reserved is not null)
        {
            return reserved;
        }

        var now = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        return now is null ? Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {volume.Id} could not be found.") : Refused(expected, now);
    }

    /// <summary>Attaching goes back to in-use when the volume has attachments, available otherwise; any other status is left alone (Cinder: nothing to do).</summary>
    public async Task<Outcome<Volume>> UnreserveAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await attachments.TrySettleAsync(volume.Id, [VolumeStatus.Attaching], cancellationToken).ConfigureAwait(false);
        return volume;
    }

    public async Task<Outcome<Volume>> BeginDetachingAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var detaching = await volumes.TryUpdateAsync(volume.Id, [VolumeStatus.InUse], v => v with { Status = VolumeStatus.Detaching }, cancellationToken).ConfigureAwait(false);
        return detaching ?? Outcome<Volume>.Refuse(
            Refusal.BadRequest, "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
    }

    public async Task<Outcome<Volume>> RollDetachingAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await volumes.TryUpdateAsync(volume.Id, [VolumeStatus.Detaching], v => v with { Status = VolumeStatus.InUse }, cancellationToken).ConfigureAwait(false);
        return volume;
    }

    /// <summary>Cinder's <c>attach_volume</c>: one attachment per server (or host), attached at once; the volume in-use.</summary>
    public async Task<Outcome<VolumeAttachment>> AttachAsync(
        Volume volume, string? instanceUuid, string? hostName, string mountpoint, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status == VolumeStatus.Maintenance)
        {
            return Outcome<VolumeAttachment>.Refuse(Refusal.BadRequest, "Invalid volume: The volume cannot be attached in maintenance mode.");
        }

        // os-update_readonly_flag's admin metadata: a read-only volume is attached read-only or not at all.
        if (AttachmentReadOnly.Is(volume) && mode != "ro")
        {
            return Outcome<VolumeAttachment>.Refuse(Refusal.BadRequest, $"Invalid attaching mode '{mode}' for volume {volume.Id}.");
        }

        var existing = await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        var same = existing.FirstOrDefault(a => instanceUuid is not null ? a.InstanceUuid == instanceUuid : a.InstanceUuid is null && a.AttachedHost == hostName);
        if (same is not null)
        {
            // Already tracked: Cinder only makes sure the volume says in-use.
            await attachments.TryUpdateAsync(same.Id, a => a, VolumeStatus.InUse, cancellationToken).ConfigureAwait(false);
            return same;
        }

        var multiattach = await service.IsMultiattachAsync(volume, cancellationToken).ConfigureAwait(false);
        if (volume.Status == VolumeStatus.InUse && !multiattach)
        {
            return Outcome<VolumeAttachment>.Refuse(
                Refusal.BadRequest, "Error attaching volume - InvalidVolume: Invalid volume: volume is already attached and multiple attachments are not enabled");
        }

        if (instanceUuid is not null && !Guid.TryParse(instanceUuid, out _))
        {
            return Outcome<VolumeAttachment>.Refuse(Refusal.BadRequest, $"Error attaching volume - InvalidUUID: Expected a UUID but received {instanceUuid}.");
        }

        if (connections.Unreachable(volume, "attach") is { } unreachable)
        {
            return Outcome<VolumeAttachment>.Refuse(unreachable.Refusal, unreachable.Message);
        }

        var now = timeProvider.GetUtcNow();
        var attachment = new VolumeAttachment
        {
            Id = Guid.NewGuid().ToString(),
            VolumeId = volume.Id,
            InstanceUuid = instanceUuid,
            AttachedHost = hostName,
            Mountpoint = mountpoint,
            AttachTime = now,
            Status = AttachStatus.Attached,
            AttachMode = mode,
            CreatedAt = now,
        };
        IReadOnlyList<VolumeStatus> attachable = multiattach
            ? [VolumeStatus.Available, VolumeStatus.Attaching, VolumeStatus.Reserved, VolumeStatus.InUse]
            : [VolumeStatus.Available, VolumeStatus.Attaching, VolumeStatus.Reserved];
        if (!await attachments.TryAddAsync(attachment, attachable, VolumeStatus.InUse, cancellationToken).ConfigureAwait(false))
        {
            var current = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
            return current is null
                ? Outcome<VolumeAttachment>.Refuse(Refusal.NotFound, $"Volume {volume.Id} could not be found.")
                : Outcome<VolumeAttachment>.Refuse(
                    Refusal.BadRequest,
                    $"Error attaching volume - InvalidVolume: Invalid volume: Volume {volume.Id} status must be {AttachmentRules.OrList(attachable)} to attach, but the current status is {current.Status.ToWireName()}.");
        }

        return attachment;
    }

    /// <summary>
    /// Cinder's <c>detach_volume</c>: the named attachment, or the only one; none left means the volume
    /// is simply made available. <paramref name="force"/> (<c>os-force_detach</c>) first ends the
    /// connection of <paramref name="connector"/> (every host when null).
    /// </summary>
    public async Task<Outcome<Volume>> DetachAsync(
        Volume volume, string? attachmentId, bool force, ConnectorInfo? connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var prefix = force ? "Error force detaching volume" : "Error detaching volume";
        if (!force && volume.Status == VolumeStatus.Maintenance)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Invalid volume: The volume cannot be detached in maintenance mode.");
        }

        if (force)
        {
            var terminated = await TerminateAsync(volume, connector ?? new ConnectorInfo(null, null, null), cancellationToken).ConfigureAwait(false);
            if (!terminated.Succeeded)
            {
                return terminated;
            }
        }

        var existing = await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        VolumeAttachment? attachment;
        if (attachmentId is not null)
        {
            attachment = existing.FirstOrDefault(a => a.Id == attachmentId);
            if (attachment is null)
            {
                // Cinder: not attached by that id; only make sure the status is not left detaching.
                await attachments.RemoveAsync(volume.Id, null, cancellationToken).ConfigureAwait(false);
                return volume;
            }
        }
        else if (existing.Count > 1)
        {
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest, $"{prefix} - InvalidVolume: Invalid volume: Detach volume failed: More than one attachment, but no attachment_id provided.");
        }
        else
        {
            attachment = existing.Count == 1 ? existing[0] : null;
        }

        if (attachment is not null && !force && await service.DisconnectAsync(volume, attachment, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return Outcome<Volume>.Refuse(refused.Refusal, refused.Message);
        }

        await attachments.RemoveAsync(volume.Id, attachment?.Id, cancellationToken).ConfigureAwait(false);
        return volume;
    }

    private async Task<Outcome<Volume>> TerminateAsync(Volume volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        if (connections.Unreachable(volume, "detach") is { } unreachable)
        {
            return Outcome<Volume>.Refuse(unreachable.Refusal, unreachable.Message);
        }

        var result = await manager.TerminateConnectionAsync(volume, connector, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? volume
            : Outcome<Volume>.Refuse(
                result.Failure == ConnectionFailure.BackendUnavailable ? Refusal.Conflict : Refusal.ServerError,
                $"Unable to terminate volume connection from backend: {result.Reason}");
    }

    private static Outcome<Volume> Refused(IEnumerable<VolumeStatus> expected, Volume volume) =>
        Outcome<Volume>.Refuse(
            Refusal.BadRequest, $"Invalid volume: Volume status must be {AttachmentRules.OrList(expected)} to reserve, but the status is {volume.Status.ToWireName()}.");
}
