using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Kiln.Server.Volumes;

namespace Kiln.Server.Transfers;

/// <summary>
/// Cinder's transfer API (cinder/transfer/api.py): offer an available volume to another project with
/// an auth key shown once, accept it with the key (the volume and, unless <c>no_snapshots</c>, its
/// snapshots change owner, with their quota), or withdraw the offer. A volume whose backend is not
/// ready is neither offered nor accepted (409): nothing changes while the backend cannot answer for it.
/// </summary>
public sealed partial class TransferService(
    ITransferRepository transfers,
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    IVolumeTypeRepository types,
    QuotaService quotas,
    IBackendStates backends,
    TimeProvider timeProvider,
    ILogger<TransferService> logger)
{
    /// <summary>A transfer just created, with the auth key the caller gives the recipient (never stored, never shown again).</summary>
    public sealed record Created(VolumeTransfer Transfer, string AuthKey);

    public async Task<Outcome<Created>> CreateAsync(Caller caller, string volumeId, string? name, bool noSnapshots, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Outcome<Created>.Refuse(Refusal.NotFound, $"Volume {volumeId} could not be found.");
        }

        if (volume.Status != VolumeStatus.Available)
        {
            return Outcome<Created>.Refuse(Refusal.BadRequest, $"Invalid volume: status must be available, but volume {volume.Id} is {volume.Status.ToWireName()}.");
        }

        if (NotReady(volume) is { } notReady)
        {
            return Outcome<Created>.Refuse(Refusal.Conflict, $"Cannot transfer volume {volume.Id}: {notReady}");
        }

        var salt = TransferKeys.RandomHex(TransferKeys.SaltLength);
        var authKey = TransferKeys.RandomHex(TransferKeys.KeyLength);
        var transfer = new VolumeTransfer
        {
            Id = Guid.NewGuid().ToString(),
            VolumeId = volume.Id,
            Name = name?.Trim(),
            Salt = salt,
            CryptHash = TransferKeys.Hash(salt, authKey),
            NoSnapshots = noSnapshots,
            SourceProjectId = volume.ProjectId,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        var written = await transfers.AddAsync(transfer, cancellationToken).ConfigureAwait(false);
        switch (written.Outcome)
        {
            case TransferWriteOutcome.SnapshotNotAvailable:
                return Outcome<Created>.Refuse(Refusal.BadRequest, $"Invalid snapshot: snapshot: {written.SnapshotId} status must be available");
            case TransferWriteOutcome.Done:
                LogCreated(logger, transfer.Id, volume.Id, volume.ProjectId);
                return new Created(transfer, authKey);
            default:
                var now = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
                return now is null
                    ? Outcome<Created>.Refuse(Refusal.NotFound, $"Volume {volume.Id} could not be found.")
                    : Outcome<Created>.Refuse(Refusal.BadRequest, $"Invalid volume: status must be available, but volume {volume.Id} is {now.Status.ToWireName()}.");
        }
    }

    /// <summary>A pending transfer the caller may see: its volume's project is the caller's (any for an administrator), as Cinder's <c>transfer_get</c>.</summary>
    public async Task<VolumeTransfer?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var transfer = await transfers.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return transfer is not null && caller.Sees(transfer.SourceProjectId) ? transfer : null;
    }

    public Task<IReadOnlyList<VolumeTransfer>> ListAsync(string? projectId, CancellationToken cancellationToken) => transfers.ListAsync(projectId, cancellationToken);

    public async Task<Outcome<VolumeTransfer>> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var transfer = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (transfer is null || !await transfers.RemoveAsync(transfer.Id, cancellationToken).ConfigureAwait(false))
        {
            return Outcome<VolumeTransfer>.Refuse(Refusal.NotFound, $"Transfer {id} could not be found.");
        }

        LogDeleted(logger, transfer.Id, transfer.VolumeId);
        return transfer;
    }

    /// <summary>
    /// Accepts a transfer for the caller's project: any project may, with the right key (Cinder reads the
    /// transfer with an elevated context). Over the receiving project's quota: Cinder's 413.
    /// </summary>
    public async Task<Outcome<VolumeTransfer>> AcceptAsync(Caller caller, string id, string authKey, CancellationToken cancellationToken)
    {
        var transfer = await transfers.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (transfer is null)
        {
            return Outcome<VolumeTransfer>.Refuse(Refusal.NotFound, $"Transfer {id} could not be found.");
        }

        if (!TransferKeys.Matches(transfer, authKey))
        {
            LogBadKey(logger, transfer.Id, caller.ProjectId);
            return Outcome<VolumeTransfer>.Refuse(Refusal.BadRequest, $"Invalid auth key: Attempt to transfer {transfer.Id} with invalid auth key.");
        }

        var volume = await volumes.FindAsync(transfer.VolumeId, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<VolumeTransfer>.Refuse(Refusal.NotFound, $"Volume {transfer.VolumeId} could not be found.");
        }

        if (NotReady(volume) is { } notReady)
        {
            return Outcome<VolumeTransfer>.Refuse(Refusal.Conflict, $"Cannot accept transfer {transfer.Id} of volume {volume.Id}: {notReady}");
        }

        var limits = await quotas.ProjectLimitsAsync(caller.ProjectId, cancellationToken).ConfigureAwait(false);
        var perVolume = limits.Of(QuotaResources.PerVolumeGigabytes);
        if (perVolume != QuotaResources.Unlimited && volume.SizeGb > perVolume)
        {
            return Outcome<VolumeTransfer>.Refuse(Refusal.OverLimit, $"Requested volume size {volume.SizeGb}G is larger than maximum allowed limit {perVolume}G.");
        }

        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        var moving = transfer.NoSnapshots ? [] : await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        var charges = Charges(volume, type, moving, quotas.Defaults.NoSnapshotGigabytes);
        var check = new QuotaCheck(
            limits,
            type is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [type.Id] = type.Name },
            quotas.Defaults.NoSnapshotGigabytes);
        var accepted = await transfers.AcceptAsync(transfer, caller.ProjectId, caller.UserId, charges, check, cancellationToken).ConfigureAwait(false);
        switch (accepted.Outcome)
        {
            case TransferWriteOutcome.Done:
                LogAccepted(logger, transfer.Id, volume.Id, transfer.SourceProjectId, caller.ProjectId);
                return transfer with { Accepted = true, DestinationProjectId = caller.ProjectId };
            case TransferWriteOutcome.OverQuota:
                return Outcome<VolumeTransfer>.Refuse(Refusal.OverLimit, accepted.Denial!.Message);
            case TransferWriteOutcome.VolumeStatusChanged:
                var now = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
                return Outcome<VolumeTransfer>.Refuse(
                    Refusal.BadRequest, $"Invalid volume: volume {volume.Id} must be awaiting-transfer to be accepted, but it is {now?.Status.ToWireName() ?? "gone"}.");
            default:
                return Outcome<VolumeTransfer>.Refuse(Refusal.NotFound, $"Transfer {id} could not be found.");
        }
    }

    /// <summary>What the receiving project takes on, as Cinder reserves it: the volume, then its snapshots (per type too).</summary>
    internal static List<QuotaCharge> Charges(Volume volume, VolumeType? type, IReadOnlyList<Snapshot> moving, bool noSnapshotGigabytes)
    {
        var snapshotGigabytes = noSnapshotGigabytes ? 0 : moving.Sum(s => (long)s.SizeGb);
        var charges = new List<QuotaCharge>
        {
            new(QuotaResources.Volumes, 1),
            new(QuotaResources.Gigabytes, volume.SizeGb + snapshotGigabytes),
        };
        if (type is not null)
        {
            charges.Add(new(QuotaResources.PerType(QuotaResources.Volumes, type.Name), 1));
            charges.Add(new(QuotaResources.PerType(QuotaResources.Gigabytes, type.Name), volume.SizeGb + snapshotGigabytes));
        }

        if (moving.Count > 0)
        {
            charges.Add(new(QuotaResources.Snapshots, moving.Count));
            if (type is not null)
            {
                charges.Add(new(QuotaResources.PerType(QuotaResources.Snapshots, type.Name), moving.Count));
            }
        }

        return charges;
    }

    private string? NotReady(Volume volume)
    {
        if (volume.BackendHost is not { } backendHost)
        {
            return null;
        }

        var state = backends.Find(backendHost);
        if (state is null)
        {
            return $"Backend {backendHost} is not known to this service.";
        }

        return state.State.IsSchedulable() ? null : VolumeManager.NotReadyReason(state);
    }

    [LoggerMessage(2200, LogLevel.Information, "Transfer {TransferId} of volume {VolumeId} offered by project {ProjectId}")]
    private static partial void LogCreated(ILogger logger, string transferId, string volumeId, string projectId);

    [LoggerMessage(2201, LogLevel.Information, "Transfer {TransferId} of volume {VolumeId} accepted: project {From} to project {To}")]
    private static partial void LogAccepted(ILogger logger, string transferId, string volumeId, string from, string to);

    [LoggerMessage(2202, LogLevel.Information, "Transfer {TransferId} of volume {VolumeId} deleted; the volume is available again")]
    private static partial void LogDeleted(ILogger logger, string transferId, string volumeId);

    [LoggerMessage(2203, LogLevel.Warning, "Transfer {TransferId}: accept by project {ProjectId} with an invalid auth key")]
    private static partial void LogBadKey(ILogger logger, string transferId, string projectId);
}
