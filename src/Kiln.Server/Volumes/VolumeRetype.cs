using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using Kiln.Core.Volumes;
using Kiln.Server.Quotas;
using Kiln.Server.Scheduling;

namespace Kiln.Server.Volumes;

/// <summary>
/// <c>os-retype</c>: when the volume's own pool satisfies the new type, the type changes in place, with the
/// per-type quota moved as Cinder moves it (the new type's resources checked under the project's quota
/// lock). A volume whose pool does not satisfy the new type needs a migration between backends: refused
/// with 400 under <c>migration_policy: never</c>, started under <c>on-demand</c> (<see cref="VolumeMigration"/>;
/// the type changes when the copy is switched in). Refusals are answered at once, like Kiln's extend,
/// rather than Cinder's 202 followed by a user message.
/// </summary>
internal sealed partial class VolumeRetype(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    IVolumeTypeRepository types,
    IVolumeRetypes retypes,
    QuotaService quotas,
    IBackendStates backends,
    PoolSource pools,
    IProjectTypes projectTypes,
    VolumeMigration migration,
    ILogger<VolumeRetype> logger)
{
    public const string Never = "never";
    public const string OnDemand = "on-demand";

    // Cinder's InvalidVolume text for a retype its conditional update refuses.
    private const string CannotRetype =
        "Invalid volume: Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, " +
        "requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.";

    private static readonly VolumeStatus[] Retypable = [VolumeStatus.Available, VolumeStatus.InUse];

    public async Task<Outcome<Volume>> RetypeAsync(Caller caller, string id, string newType, string? migrationPolicy, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (volume is null || !caller.Sees(volume.ProjectId))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        var type = await types.FindAsync(newType, cancellationToken).ConfigureAwait(false);
        // A private type is there only for projects given access to it, as for a create.
        if (type is null
            || (!type.IsPublic && !caller.AllProjects && !await projectTypes.HasAccessAsync(type.Id, caller.ProjectId, cancellationToken).ConfigureAwait(false)))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume type with name {newType} could not be found.");
        }

        if (!Retypable.Contains(volume.Status) || string.Equals(type.Id, volume.VolumeTypeId, StringComparison.Ordinal))
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, CannotRetype);
        }

        if (volume.Host is not { } host || volume.BackendHost is not { } backend)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: volume {volume.Id} is not placed on any backend.");
        }

        var state = backends.Find(backend);
        if (state is null || !state.State.IsSchedulable())
        {
            var why = state is null ? $"Backend {backend} is not known to this service." : VolumeManager.NotReadyReason(state);
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot retype volume {volume.Id}: {why}");
        }

        var limits = await quotas.ProjectLimitsAsync(volume.ProjectId, cancellationToken).ConfigureAwait(false);
        var owned = await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        var gigabytes = volume.SizeGb + (quotas.Defaults.NoSnapshotGigabytes ? 0 : owned.Sum(s => (long)s.SizeGb));
        List<QuotaCharge> charges =
        [
            new(QuotaResources.PerType(QuotaResources.Volumes, type.Name), 1),
            new(QuotaResources.PerType(QuotaResources.Gigabytes, type.Name), gigabytes),
        ];
        if (owned.Count > 0)
        {
            charges.Add(new(QuotaResources.PerType(QuotaResources.Snapshots, type.Name), owned.Count));
        }

        var check = new QuotaCheck(limits, new Dictionary<string, string> { [type.Id] = type.Name }, quotas.Defaults.NoSnapshotGigabytes);
        if (Misfit(host, type) is { } misfit)
        {
            if ((migrationPolicy ?? Never) == Never)
            {
                return Outcome<Volume>.Refuse(
                    Refusal.BadRequest,
                    $"Invalid volume: Retype requires migration but is not allowed: retyping volume {volume.Id} to {type.Name} needs a migration ({misfit}) and migration_policy is never.");
            }

            // Cinder's volume manager refuses these before it migrates; Kiln before anything changes.
            if (owned.Count > 0)
            {
                return Outcome<Volume>.Refuse(Refusal.BadRequest, "Invalid volume: Volume must not have snapshots.");
            }

            if (volume.GroupId is not null)
            {
                return Outcome<Volume>.Refuse(Refusal.BadRequest, CannotRetype);
            }

            var migrating = await migration.BeginAsync(volume, VolumeStatus.Retyping, type.ExtraSpecs, requiredHost: null, type, charges, check, cancellationToken).ConfigureAwait(false);
            if (migrating.Succeeded)
            {
                LogRetypeMigrating(logger, volume.Id, volume.VolumeTypeId ?? "none", type.Id);
            }

            return migrating;
        }

        var (retyped, denial) = await retypes.TryRetypeAsync(volume, type.Id, charges, check, cancellationToken).ConfigureAwait(false);
        if (denial is not null)
        {
            return Outcome<Volume>.Refuse(Refusal.OverLimit, denial.Message);
        }

        if (retyped is null)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed while the request was handled (or type {type.Name} was deleted); try again.");
        }

        LogRetyped(logger, volume.Id, volume.VolumeTypeId ?? "none", type.Id);
        return retyped;
    }

    /// <summary>Null when the volume's pool satisfies the type; otherwise why not.</summary>
    private string? Misfit(string host, VolumeType type)
    {
        List<PoolCandidate> candidates;
        lock (pools.Placing)
        {
            candidates = pools.Candidates();
        }

        var pool = candidates.Find(c => c.Name == host || (c.BackendHost == host && !host.Contains('#', StringComparison.Ordinal)));
        return pool is null
            ? $"pool {host} is not reported by its backend"
            : RetypeFitCheck.Exclusion(pool, type.ExtraSpecs) is { } reason ? $"{pool.Name}: {reason}" : null;
    }

    [LoggerMessage(2311, LogLevel.Information, "Volume {VolumeId} is being retyped from type {From} to {To} with a migration")]
    private static partial void LogRetypeMigrating(ILogger logger, string volumeId, string from, string to);

    [LoggerMessage(2210, LogLevel.Information, "Volume {VolumeId} retyped in place from type {From} to {To}")]
    private static partial void LogRetyped(ILogger logger, string volumeId, string from, string to);
}
