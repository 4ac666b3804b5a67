using System.Text.Json;
using Kiln.Core.Attachments;
using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Volumes;

namespace Kiln.Server.Attachments;

/// <summary>
/// Cinder's attachment state machine (<c>cinder/volume/api.py</c> <c>attachment_*</c>): reserve
/// (volume <c>reserved</c>), connect (the driver's initialize-connection; volume <c>attaching</c>),
/// complete (volume <c>in-use</c>), delete (the driver's terminate-connection; the volume's status
/// follows the attachments left). A backend that is not ready refuses new attachments and
/// connections with 409 before anything changes; a connection that fails is rolled back, so no
/// request leaves a volume <c>reserved</c> or <c>attaching</c> behind it.
/// </summary>
public sealed partial class AttachmentService(
    IVolumeRepository volumes,
    IAttachmentRepository attachments,
    IVolumeTypeRepository types,
    VolumeConnections connections,
    VolumeManager manager,
    TimeProvider timeProvider,
    ILogger<AttachmentService> logger)
{
    /// <summary>The volume of <paramref name="volumeId"/> if the caller sees it.</summary>
    public async Task<Volume?> FindVolumeAsync(Caller caller, string volumeId, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
        return volume is not null && caller.Sees(volume.ProjectId) ? volume : null;
    }

    /// <summary>The attachment and its volume if the caller sees the volume (Cinder scopes attachments by their volume's project).</summary>
    public async Task<(VolumeAttachment Attachment, Volume Volume)?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var attachment = await attachments.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (attachment is null)
        {
            return null;
        }

        var volume = await FindVolumeAsync(caller, attachment.VolumeId, cancellationToken).ConfigureAwait(false);
        return volume is null ? null : (attachment, volume);
    }

    /// <summary>Cinder's VolumeAttachmentNotFound text.</summary>
    public static string NotFound(string id) => $"Volume attachment could not be found with filter: attachment_id = {id}.";

    public async Task<bool> IsMultiattachAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        return AttachmentRules.IsMultiattach(type);
    }

    /// <summary><c>POST /attachments</c>: reserves the volume for <paramref name="instanceUuid"/>, then connects when a connector is given.</summary>
    public async Task<Outcome<VolumeAttachment>> CreateAsync(
        Volume volume, string? instanceUuid, HostConnector? connector, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status.ToWireName().Contains("error", StringComparison.Ordinal))
        {
            return Outcome<VolumeAttachment>.Refuse(
                Refusal.BadRequest,
                $"Invalid volume: Volume attachments can not be created if the volume is in an error state. The Volume {volume.Id} currently has a status of: {volume.Status.ToWireName()} ");
        }

        if (connections.Unreachable(volume, "attach") is { } unreachable)
        {
            return Outcome<VolumeAttachment>.Refuse(unreachable.Refusal, unreachable.Message);
        }

        var multiattach = await IsMultiattachAsync(volume, cancellationToken).ConfigureAwait(false);
        var attachment = new VolumeAttachment
        {
            Id = Guid.NewGuid().ToString(),
            VolumeId = volume.Id,
            InstanceUuid = instanceUuid,
            Status = AttachStatus.Reserved,
            AttachMode = mode,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        var expected = AttachmentRules.Reservable(multiattach);
        if (!await attachments.TryAddAsync(attachment, expected, VolumeStatus.Reserved, cancellationToken).ConfigureAwait(false)
            && !await TryOverrideAsync(attachment, cancellationToken).ConfigureAwait(false))
        {
            var now = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
            return now is null
                ? Outcome<VolumeAttachment>.Refuse(Refusal.NotFound, $"Volume {volume.Id} could not be found.")
                : Outcome<VolumeAttachment>.Refuse(
                    Refusal.BadRequest,
                    $"Invalid volume: Volume {volume.Id} status must be {AttachmentRules.OrList(expected)} to reserve, but the current status is {now.Status.ToWireName()}.");
        }

        LogReserved(logger, attachment.Id, volume.Id, instanceUuid);
        if (connector is null)
        {
            return attachment;
        }

        var connected = await ConnectAsync(volume, attachment, connector, cancellationToken).ConfigureAwait(false);
        if (!connected.Succeeded)
        {
            // Nothing half-done stays: the reservation goes and the volume's status follows what is left.
            await attachments.RemoveAsync(volume.Id, attachment.Id, cancellationToken).ConfigureAwait(false);
        }

        return connected;
    }

    /// <summary><c>PUT /attachments/{id}</c>: connects the attachment to the host of <paramref name="connector"/>.</summary>
    public async Task<Outcome<VolumeAttachment>> UpdateAsync(VolumeAttachment attachment, Volume volume, HostConnector connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status.ToWireName().Contains("error", StringComparison.Ordinal))
        {
            return Outcome<VolumeAttachment>.Refuse(
                Refusal.Conflict,
                $"Volume attachments can not be updated if the volume is in an error state. The Volume {volume.Id} currently has a status of: {volume.Status.ToWireName()} ");
        }

        var all = await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        if (all.Count > 1 && !await IsMultiattachAsync(volume, cancellationToken).ConfigureAwait(false) && all.Any(a => a.ConnectionInfo is not null))
        {
            // Several attachments of a volume that takes one are only a server moving between hosts; two connections are a race.
            return Outcome<VolumeAttachment>.Refuse(Refusal.Conflict, $"duplicate connectors detected on volume {volume.Id}");
        }

        if (connections.Unreachable(volume, "attach") is { } unreachable)
        {
            return Outcome<VolumeAttachment>.Refuse(unreachable.Refusal, unreachable.Message);
        }

        return await ConnectAsync(volume, attachment, connector, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>os-complete</c>: the host has connected; the attachment is attached and the volume in-use.</summary>
    public async Task<Outcome<VolumeAttachment>> CompleteAsync(VolumeAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var completed = await attachments.TryUpdateAsync(attachment.Id, a => a with { Status = AttachStatus.Attached }, VolumeStatus.InUse, cancellationToken)
            .ConfigureAwait(false);
        return completed is null ? Outcome<VolumeAttachment>.Refuse(Refusal.NotFound, NotFound(attachment.Id)) : completed;
    }

    /// <summary>
    /// <c>DELETE /attachments/{id}</c>: ends the connection (none for a reservation), removes the
    /// attachment and sets the volume's status from the attachments left, which are returned.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<VolumeAttachment>>> DeleteAsync(VolumeAttachment attachment, Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(volume);
        if (attachment.Status != AttachStatus.Reserved)
        {
            if (await DisconnectAsync(volume, attachment, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return Outcome<IReadOnlyList<VolumeAttachment>>.Refuse(refused.Refusal, refused.Message);
            }
        }

        var left = await attachments.RemoveAsync(volume.Id, attachment.Id, cancellationToken).ConfigureAwait(false);
        LogDetached(logger, attachment.Id, volume.Id, left.Count);
        return new Outcome<IReadOnlyList<VolumeAttachment>>(left, null, null);
    }

    /// <summary>Ends the connection an attachment holds, if it holds one; null when done, otherwise the refusal.</summary>
    internal async Task<(Refusal Refusal, string Message)?> DisconnectAsync(Volume volume, VolumeAttachment attachment, CancellationToken cancellationToken)
    {
        if (connections.Unreachable(volume, "detach") is { } unreachable)
        {
            return unreachable;
        }

        if (attachment.Connector is not { } stored)
        {
            // Never connected through Kiln (a legacy attach, or a reservation): no export to remove.
            return null;
        }

        var connector = HostConnector.Parse(stored);
        var result = await manager.TerminateConnectionAsync(volume, connector.Info, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? null : Refuse(volume, result, "Unable to terminate volume connection from backend");
    }

    private async Task<Outcome<VolumeAttachment>> ConnectAsync(Volume volume, VolumeAttachment attachment, HostConnector connector, CancellationToken cancellationToken)
    {
        // Cinder: the connector's mode unless the attachment was created with one (3.54).
        // A volume made read-only (os-update_readonly_flag) is attached read-only whatever was asked, as in Cinder.
        var mode = AttachmentReadOnly.Is(volume) ? "ro" : attachment.AttachMode != VolumeAttachment.NoMode ? attachment.AttachMode : connector.Mode ?? "rw";
        var result = await manager.InitializeConnectionAsync(volume, connector.Info, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var (refusal, message) = Refuse(volume, result, "Unable to create attachment for volume");
            return Outcome<VolumeAttachment>.Refuse(refusal, message);
        }

        // Cinder's attachment connection_info: the driver's data flattened with driver_volume_type beside it.
        var info = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in result.Info!.Data)
        {
            info[key] = value;
        }

        info["access_mode"] = mode;
        info["driver_volume_type"] = result.Info.DriverVolumeType;
        info["attachment_id"] = attachment.Id;
        info["enforce_multipath"] = connector.EnforceMultipath;
        var now = timeProvider.GetUtcNow();
        var connected = await attachments.TryUpdateAsync(
            attachment.Id,
            a => a with
            {
                Status = AttachStatus.Attaching,
                ConnectionInfo = JsonSerializer.Serialize(info),
                Connector = connector.Json,
                AttachedHost = connector.Info.Host ?? string.Empty,
                Mountpoint = connector.Mountpoint ?? "na",
                AttachTime = now,
                AttachMode = mode,
            },
            VolumeStatus.Attaching,
            cancellationToken).ConfigureAwait(false);
        if (connected is null)
        {
            // Deleted while the driver exported it: take the export back.
            await manager.TerminateConnectionAsync(volume, connector.Info, cancellationToken).ConfigureAwait(false);
            return Outcome<VolumeAttachment>.Refuse(Refusal.NotFound, NotFound(attachment.Id));
        }

        LogConnected(logger, attachment.Id, volume.Id, connector.Info.Host);
        return connected;
    }

    /// <summary>Cinder's override: the same server reserving again (a move between hosts) while the volume is reserved or in-use.</summary>
    private async Task<bool> TryOverrideAsync(VolumeAttachment attachment, CancellationToken cancellationToken)
    {
        if (attachment.InstanceUuid is null)
        {
            return false;
        }

        var volume = await volumes.FindAsync(attachment.VolumeId, cancellationToken).ConfigureAwait(false);
        if (volume is not { Status: VolumeStatus.InUse or VolumeStatus.Reserved })
        {
            return false;
        }

        var existing = await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        return existing.Any(a => a.InstanceUuid == attachment.InstanceUuid)
            && await attachments.TryAddAsync(attachment, [volume.Status], null, cancellationToken).ConfigureAwait(false);
    }

    private static (Refusal Refusal, string Message) Refuse(Volume volume, ConnectionResult result, string what) => result.Failure switch
    {
        ConnectionFailure.BackendUnavailable => (Refusal.Conflict, $"Cannot reach volume {volume.Id}: {result.Reason}"),
        ConnectionFailure.NotSupported => (Refusal.BadRequest, $"Invalid volume: {result.Reason}"),
        _ => (Refusal.ServerError, $"{what} ({result.Reason})."),
    };

    [LoggerMessage(2250, LogLevel.Information, "Attachment {AttachmentId}: reserved volume {VolumeId} for {Instance}")]
    private static partial void LogReserved(ILogger logger, string attachmentId, string volumeId, string? instance);

    [LoggerMessage(2251, LogLevel.Information, "Attachment {AttachmentId}: volume {VolumeId} connected to host {Host}")]
    private static partial void LogConnected(ILogger logger, string attachmentId, string volumeId, string? host);

    [LoggerMessage(2252, LogLevel.Information, "Attachment {AttachmentId}: volume {VolumeId} detached; {Left} attachments left")]
    private static partial void LogDetached(ILogger logger, string attachmentId, string volumeId, int left);
}
