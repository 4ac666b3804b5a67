using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;
using Kiln.Server.Quotas;
using Kiln.Server.Scheduling;
using Kiln.Server.Services;

namespace Kiln.Server.Volumes;

/// <summary>
/// Starts migrations between backends: the admin's <c>os-migrate_volume</c> and a retype with
/// <c>migration_policy: on-demand</c> whose type the volume's pool does not satisfy. The destination pool is
/// chosen (and its capacity held) as a create's, the volume claimed (<c>maintenance</c> or <c>retyping</c>,
/// migration status <c>migrating</c>) in one guarded write, then its source backend's volume role copies it
/// (<see cref="VolumeManager.MigrateVolumeAsync"/>). Refusals are answered at once and change nothing, where
/// Cinder answers 202 and records the failure later; either backend not ready is a 409; a message the broker
/// cannot take is a 503 with the volume back in its status and the destination's hold let go.
/// </summary>
internal sealed partial class VolumeMigration(
    IVolumeRepository volumes,
    IVolumeTypeRepository types,
    IVolumeMigrations claims,
    IMessageBus bus,
    IBackendStates backends,
    ServiceDirectory services,
    PoolSource pools,
    TimeProvider timeProvider,
    ILogger<VolumeMigration> logger)
{
    private static readonly VolumeScheduler Scheduler = new();
    private static readonly Dictionary<string, string> NoSpecs = [];

    /// <summary>Cinder's InvalidVolume text when its migrate's conditional update refuses.</summary>
    public static string CannotMigrate(string id) =>
        $"Invalid volume: Volume {id} status must be available or in-use, must not be migrating, have snapshots, be replicated, be part of a group and destination host/cluster must be different than the current one";

    /// <summary><c>os-migrate_volume</c> to <paramref name="host"/> (<c>host@backend</c> or <c>host@backend#pool</c>).</summary>
    public async Task<Outcome<Volume>> MigrateAsync(Caller caller, string id, string host, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        // Cinder looks for an enabled volume service that is up; Kiln's backends are its services.
        var backend = HostNames.Backend(host);
        if (backends.Find(backend) is null || services.IsDisabled(backend, out _))
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid host: No available service named '{host}'");
        }

        if (volume.Status is not (VolumeStatus.Available or VolumeStatus.InUse) || volume.MigrationStatus == MigrationStatuses.Migrating
            || volume.GroupId is not null || volume.Host == host || volume.BackendHost == backend)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, CannotMigrate(volume.Id));
        }

        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        return await BeginAsync(volume, VolumeStatus.Maintenance, type?.ExtraSpecs ?? NoSpecs, host, newType: null, charges: null, check: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Chooses the destination (any pool of another backend that passes <paramref name="extraSpecs"/>, only
    /// <paramref name="requiredHost"/>'s when given), claims the volume and hands it to its backend.
    /// </summary>
    public async Task<Outcome<Volume>> BeginAsync(
        Volume volume,
        VolumeStatus claimStatus,
        IReadOnlyDictionary<string, string> extraSpecs,
        string? requiredHost,
        VolumeType? newType,
        IReadOnlyList<QuotaCharge>? charges,
        QuotaCheck? check,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Status == VolumeStatus.InUse)
        {
            // Cinder asks the compute service to swap an attached volume to the copy; Kiln has none to ask.
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest, $"Invalid volume: volume {volume.Id} is in-use; Kiln migrates available volumes only (an attached volume needs the compute service to swap it).");
        }

        if (volume.BackendHost is not { } source)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: volume {volume.Id} is not placed on any backend.");
        }

        if (NotReady(source) is { } sourceDown)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot migrate volume {volume.Id}: {sourceDown}");
        }

        if (requiredHost is not null && NotReady(HostNames.Backend(requiredHost)) is { } destinationDown)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot migrate volume {volume.Id}: {destinationDown}");
        }

        var request = new PlacementRequest { SizeGb = volume.SizeGb, AvailabilityZone = volume.AvailabilityZone, ExtraSpecs = extraSpecs };
        PlacementResult result;
        (string Pool, bool Thin, DateTimeOffset? StatsAt)? hold = null;
        var waitForBackend = false;
        lock (pools.Placing)
        {
            var candidates = pools.Candidates().FindAll(c => c.BackendHost != source && (requiredHost is null || Matches(c, requiredHost)));
            result = Scheduler.Place(request, candidates, timeProvider.GetUtcNow());

            // A pool that would take the volume but for its backend's state: that backend is not ready (409).
            waitForBackend = result is NoValidBackend && candidates.Exists(c => !c.State.IsSchedulable() && RetypeFitCheck.Exclusion(c, extraSpecs) is null);
            if (result is Placed chosen)
            {
                hold = (chosen.Pool.Name, request.IsThinOn(chosen.Pool.Stats), pools.StatsTime(chosen.Pool.BackendHost));
                pools.Consume(chosen.Pool, volume.SizeGb, hold.Value.Thin, hold.Value.StatsAt);
            }
        }

        if (result is not Placed placed)
        {
            var none = (NoValidBackend)result;
            return waitForBackend
                ? Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot migrate volume {volume.Id}: {none.Message}")
                : Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: volume {volume.Id} cannot be migrated: {none.Message}");
        }

        var (claimed, denial) = await claims.TryBeginAsync(volume, claimStatus, newType?.Id, charges, check, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            lock (pools.Placing)
            {
                pools.Release(hold!.Value.Pool, volume.SizeGb, hold.Value.Thin, hold.Value.StatsAt);
            }

            return denial is not null
                ? Outcome<Volume>.Refuse(Refusal.OverLimit, denial.Message)
                : Outcome<Volume>.Refuse(Refusal.BadRequest, CannotMigrate(volume.Id));
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(source),
            new MigrateVolume(volume.Id, placed.Pool.Name, newType?.Id),
            async ct =>
            {
                lock (pools.Placing)
                {
                    pools.Release(hold!.Value.Pool, volume.SizeGb, hold.Value.Thin, hold.Value.StatsAt);
                }

                // The claim changed the status and migration status only while they were the read ones (and cleared the reason).
                await volumes.TryUpdateAsync(
                    volume.Id,
                    [claimStatus],
                    v => v with { Status = volume.Status, MigrationStatus = volume.MigrationStatus, ErrorReason = volume.ErrorReason },
                    ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        LogMigrationStarted(logger, volume.Id, volume.Host!, placed.Pool.Name, newType?.Name ?? "unchanged");
        return claimed;
    }

    private static bool Matches(PoolCandidate pool, string host) =>
        host.Contains('#', StringComparison.Ordinal) ? pool.Name == host : pool.BackendHost == host;

    private string? NotReady(string backend) =>
        backends.Find(backend) is not { } state ? $"Backend {backend} is not known to this service."
        : !state.State.IsSchedulable() ? VolumeManager.NotReadyReason(state)
        : null;

    [LoggerMessage(2310, LogLevel.Information, "Volume {VolumeId}: migration from {Source} to {Destination} started (type {Type})")]
    private static partial void LogMigrationStarted(ILogger logger, string volumeId, string source, string destination, string type);
}
