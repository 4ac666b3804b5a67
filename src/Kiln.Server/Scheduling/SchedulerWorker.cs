using Kiln.Core.Scheduling;
using Kiln.Core.Volumes;
using Kiln.Server.Messaging;

namespace Kiln.Server.Scheduling;

/// <summary>
/// The scheduler role: places volumes in <c>creating</c> on a pool and hands them to that backend, or
/// marks them <c>error</c> with a message naming every backend and why it was excluded.
/// </summary>
internal sealed partial class SchedulerWorker(
    IMessageBus bus,
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    IVolumeTypeRepository types,
    Groups.IGroupRepository groups,
    GroupPlacement groupPlacement,
    PoolSource pools,
    IPoolReservations reservations,
    TimeProvider timeProvider,
    ILogger<SchedulerWorker> logger) : IHostedService
{
    /// <summary>Placements read and write the database concurrently; only the choice itself is serialized.</summary>
    public const int Concurrency = 4;

    public const string InterruptedReason = "Volume scheduling was interrupted by a service restart; create the volume again.";

    private static readonly VolumeStatus[] Creating = [VolumeStatus.Creating];
    private readonly VolumeScheduler scheduler = new();
    private IAsyncDisposable? subscription;

    // Requests reach the queue only through the API, which waits for the database start-up (and with
    // it InterruptedSchedulingStep), so subscribing at once never races the clean-up.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = bus.Subscribe(Queues.Scheduler, HandleAsync, Concurrency);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Places the volume or group; a failure of the database itself (disk full, I/O) is waited out with
    /// backoff and the placement tried again, rather than left to the bus's few redeliveries: once those
    /// are spent the message is dead-lettered and the volume would stay <c>creating</c> on no backend.
    /// Trying again is safe: the handler re-reads the volume and acts on its stored state.
    /// </summary>
    private async Task HandleAsync(MessageDelivery delivery, CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await PlaceAsync(message, delivery.Redelivered, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Health.DatabaseWriteHealth.Describe(ex) is { } failure)
            {
                LogDatabaseFailing(logger, message.GetType().Name, failure, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task PlaceAsync(KilnMessage message, bool redelivered, CancellationToken cancellationToken)
    {
        if (message is ScheduleGroup scheduleGroup)
        {
            await groupPlacement.PlaceAsync(scheduleGroup.GroupId, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message is not ScheduleVolume schedule)
        {
            throw new NotSupportedException($"The scheduler does not handle {message.GetType().Name}.");
        }

        var volume = await volumes.FindAsync(schedule.VolumeId, cancellationToken).ConfigureAwait(false);
        if (redelivered && volume is { Status: VolumeStatus.Creating, Host: { } host })
        {
            // Placed by an earlier delivery whose scheduler died before its hand-off was confirmed (or
            // after): hand it over again. The backend creates it once, since it acts only on creating.
            Messaging.MessagingLog.ResumedPlacement(logger, volume.Id, host);
            await bus.SendAsync(Queues.Volume(volume.BackendHost!), new CreateVolume(volume.Id), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (volume is not { Status: VolumeStatus.Creating, Host: null })
        {
            return;
        }

        var request = await RequestForAsync(volume, cancellationToken).ConfigureAwait(false);
        var full = new HashSet<string>(StringComparer.Ordinal);
        var fullReasons = new List<string>();
        while (true)
        {
            PlacementResult result;
            (string Name, bool Thin, DateTimeOffset? StatsAt)? hold = null;
            lock (pools.Placing)
            {
                var candidates = pools.Candidates();
                if (full.Count > 0)
                {
                    candidates.RemoveAll(c => full.Contains(c.Name));
                }

                result = scheduler.Place(request, candidates, timeProvider.GetUtcNow());
                if (result is Placed chosen)
                {
                    hold = (chosen.Pool.Name, request.IsThinOn(chosen.Pool.Stats), pools.StatsTime(chosen.Pool.BackendHost));
                    pools.Consume(chosen.Pool, volume.SizeGb, hold.Value.Thin, hold.Value.StatsAt);
                }
            }

            if (result is Placed placed)
            {
                // The choice above counts only this scheduler's placements; the database write counts everyone's.
                var thin = hold!.Value.Thin;
                var reservation = await reservations.TryPlaceAsync(volume, placed.Pool.Name, PoolCeiling.Of(placed.Pool.Stats, thin), cancellationToken).ConfigureAwait(false);
                if (reservation.Placed is not null)
                {
                    await bus.SendAsync(Queues.Volume(placed.Pool.BackendHost), new CreateVolume(volume.Id), cancellationToken).ConfigureAwait(false);
                    return;
                }

                lock (pools.Placing)
                {
                    pools.Release(placed.Pool.Name, volume.SizeGb, thin, hold.Value.StatsAt);
                }

                if (!reservation.NoRoom)
                {
                    // Another request moved the volume (deleted, or placed by a redelivery): nothing to place.
                    return;
                }

                LogPoolFull(logger, volume.Id, placed.Pool.Name, reservation.ProvisionedGb, volume.SizeGb);
                full.Add(placed.Pool.Name);
                fullReasons.Add(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{placed.Pool.Name}: no room ({reservation.ProvisionedGb} GB recorded on it by every scheduler, {volume.SizeGb} GB more would pass its {PoolCeiling.Of(placed.Pool.Stats, thin):0.##} GB)"));
                continue;
            }

            var none = (NoValidBackend)result;
            var reason = string.Join("; ", [none.Message, .. fullReasons, .. pools.DisabledExclusions()]);
            LogNoValidBackend(logger, volume.Id, reason);
            await volumes.TryUpdateAsync(volume.Id, Creating, v => v with { Status = VolumeStatus.Error, ErrorReason = Shorten(reason) }, cancellationToken)
                .ConfigureAwait(false);
            return;
        }
    }

    private async Task<PlacementRequest> RequestForAsync(Volume volume, CancellationToken cancellationToken)
    {
        // The stored row, not a cached copy: its specs may have changed until this volume was inserted.
        var type = volume.VolumeTypeId is null ? null : await types.FindStoredAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        string? required = null;
        if (volume.SourceSnapshotId is { } snapshotId
            && await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            required = (await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false))?.BackendHost;
        }
        else if (volume.SourceVolumeId is { } sourceId)
        {
            required = (await volumes.FindAsync(sourceId, cancellationToken).ConfigureAwait(false))?.BackendHost;
        }

        // A group's volumes all live on the group's backend (Cinder schedules them to the group's host).
        if (volume.GroupId is { } groupId)
        {
            required ??= (await groups.FindAsync(groupId, cancellationToken).ConfigureAwait(false))?.BackendHost;
        }

        return new PlacementRequest
        {
            SizeGb = volume.SizeGb,
            AvailabilityZone = volume.AvailabilityZone,
            ExtraSpecs = type?.ExtraSpecs ?? new Dictionary<string, string>(),
            RequiredBackendHost = required,
        };
    }

    /// <summary>
    /// The message names every pool (about 100 characters each); with hundreds of backends it is cut
    /// so a volume record stays small. The full message is in the log line above.
    /// </summary>
    internal static string Shorten(string message, int limit = 4000)
    {
        if (message.Length <= limit)
        {
            return message;
        }

        var cut = message.LastIndexOf("; ", limit, StringComparison.Ordinal);
        var kept = cut > 0 ? message[..cut] : message[..limit];
        var omitted = message[kept.Length..].Split("; ", StringSplitOptions.RemoveEmptyEntries).Length;
        return $"{kept}; … and {omitted} more (see the scheduler log)";
    }

    [LoggerMessage(2855, LogLevel.Information, "Scheduler: {VolumeId} not placed on {Pool}: the database records {ProvisionedGb} GB on it, {SizeGb} GB more do not fit; trying the other pools")]
    private static partial void LogPoolFull(ILogger logger, string volumeId, string pool, long provisionedGb, int sizeGb);

    [LoggerMessage(701, LogLevel.Warning, "Scheduling ({Message}) could not be recorded: database {Failure}; trying again in {Seconds} s")]
    private static partial void LogDatabaseFailing(ILogger logger, string message, string failure, double seconds);

    [LoggerMessage(700, LogLevel.Warning, "Volume {VolumeId}: {Message}")]
    private static partial void LogNoValidBackend(ILogger logger, string volumeId, string message);
}
