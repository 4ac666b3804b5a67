using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using ConnectionInfo = Kiln.Core.Drivers.ConnectionInfo;

namespace Kiln.Server.Volumes;

/// <summary>
/// <c>os-initialize_connection</c> and <c>os-terminate_connection</c>. In Cinder these are RPC calls the
/// API waits for; Kiln's message bus is fire-and-forget, so the API calls the volume role in this
/// process directly, and refuses (409) a volume whose backend this process does not serve or that is
/// not ready. Neither call changes the volume's status.
/// </summary>
public sealed class VolumeConnections(IVolumeRepository volumes, IBackendStates backends, VolumeManager manager)
{
    /// <summary>Statuses that cannot be exported: the volume's data is being made, changed or removed.</summary>
    private static readonly VolumeStatus[] Transitional = [VolumeStatus.Creating, VolumeStatus.Extending, VolumeStatus.Deleting];

    public async Task<Outcome<ConnectionInfo>> InitializeAsync(Caller caller, string id, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        var volume = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<ConnectionInfo>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        // Also while attaching: Nova's legacy flow is os-reserve, os-initialize_connection, os-attach (and a multiattach volume is in-use).
        if (volume.Status != VolumeStatus.Available && !Core.Attachments.AttachmentRules.IsAttachStatus(volume.Status))
        {
            return Outcome<ConnectionInfo>.Refuse(
                Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} status must be available to initialize a connection, but it is '{volume.Status.ToWireName()}'.");
        }

        if (Unreachable(volume, "initialize a connection to") is { } refused)
        {
            return Outcome<ConnectionInfo>.Refuse(refused.Refusal, refused.Message);
        }

        var result = await manager.InitializeConnectionAsync(volume, connector, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Info! : Refuse<ConnectionInfo>(volume, result);
    }

    public async Task<Outcome<Volume>> TerminateAsync(Caller caller, string id, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        var volume = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        if (Transitional.Contains(volume.Status))
        {
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} is '{volume.Status.ToWireName()}'; terminate its connections once that has finished.");
        }

        if (Unreachable(volume, "terminate a connection to") is { } refused)
        {
            return Outcome<Volume>.Refuse(refused.Refusal, refused.Message);
        }

        var result = await manager.TerminateConnectionAsync(volume, connector, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? volume : Refuse<Volume>(volume, result);
    }

    private static Outcome<T> Refuse<T>(Volume volume, ConnectionResult result) => result.Failure switch
    {
        ConnectionFailure.BackendUnavailable => Outcome<T>.Refuse(Refusal.Conflict, $"Cannot reach volume {volume.Id}: {result.Reason}"),
        ConnectionFailure.NotSupported => Outcome<T>.Refuse(Refusal.BadRequest, $"Invalid volume: {result.Reason}"),
        _ => Outcome<T>.Refuse(Refusal.ServerError, $"Unable to fetch connection information from backend: {result.Reason}"),
    };

    private async Task<Volume?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return volume is not null && caller.Sees(volume.ProjectId) ? volume : null;
    }

    /// <summary>Null when this process can call the volume's driver now; otherwise the refusal.</summary>
    internal (Refusal Refusal, string Message)? Unreachable(Volume volume, string what)
    {
        if (volume.BackendHost is not { } backend)
        {
            return (Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} is not placed on any backend.");
        }

        var state = backends.Find(backend);
        if (state is null)
        {
            return (Refusal.Conflict, $"Cannot {what} volume {volume.Id}: its backend {backend} is not served by this Kiln process, and only the process serving a backend makes its connections.");
        }

        return state.State.IsSchedulable() ? null : (Refusal.Conflict, $"Cannot {what} volume {volume.Id}: {VolumeManager.NotReadyReason(state)}");
    }
}
