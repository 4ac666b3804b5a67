using System.Collections.Concurrent;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// The volume role: carries out operations that the API and scheduler have already validated and
/// placed, on the driver of the volume's backend. Every operation ends in a defined status: the
/// final one on success, an error status with a reason on failure. That final status is retried until
/// the database takes it (<see cref="FinalWrite"/>). Nothing stays transitional unless the process stops
/// mid-call, and then backend initialization cleans it up.
/// </summary>
public sealed partial class VolumeManager(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    Func<string, BackendHost?> findBackend,
    TimeProvider timeProvider,
    ILogger<VolumeManager> logger,
    IVolumeTypeSpecs? typeSpecs = null)
{
    private static readonly VolumeStatus[] Creating = [VolumeStatus.Creating];
    private static readonly VolumeStatus[] Deleting = [VolumeStatus.Deleting];
    private static readonly VolumeStatus[] Extending = [VolumeStatus.Extending];
    private static readonly VolumeStatus[] Reverting = [VolumeStatus.Reverting];
    private static readonly SnapshotStatus[] SnapshotCreating = [SnapshotStatus.Creating];
    private static readonly SnapshotStatus[] SnapshotDeleting = [SnapshotStatus.Deleting];

    // Keyed by the operation too: an operation commits its final status a moment before it lets go,
    // and the next request on the same id (a delete right after "available") is not a duplicate.
    private readonly ConcurrentDictionary<(string Id, string Operation), byte> inFlight = new();

    // Every status written after a driver call goes through here: retried until it lands.
    private readonly FinalWrite finalWrite = new(timeProvider, logger);

    /// <summary>Whether an operation on this volume or snapshot id is running in this process now.</summary>
    public bool IsInFlight(string id)
    {
        foreach (var entry in inFlight)
        {
            if (string.Equals(entry.Key.Id, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public Task CreateVolumeAsync(string volumeId, CancellationToken cancellationToken) =>
        RunAsync(volumeId, "create", async () =>
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is not { Status: VolumeStatus.Creating })
            {
                return;
            }

            using var access = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null)
            {
                await FailVolumeAsync(volume.Id, Creating, VolumeStatus.Error, refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            VolumeUpdate update;
            try
            {
                update = await CallAsync("create", timeout, async ct => await CreateOnDriverAsync(driver, volume, await CreateTargetAsync(volume, ct).ConfigureAwait(false), ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailVolumeAsync(volume.Id, Creating, VolumeStatus.Error, $"Volume creation failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var created = await finalWrite.RunAsync(
                volume.Id,
                "available",
                ct => volumes.TryUpdateAsync(
                    volume, v => Stored(v, update) with { Status = VolumeStatus.Available, ErrorReason = null }, ct),
                cancellationToken).ConfigureAwait(false);
            if (created is null)
            {
                LogStatusMoved(logger, volume.Id, "create");
            }
        });

    public Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken) =>
        RunAsync(volumeId, "delete", async () =>
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is not { Status: VolumeStatus.Deleting })
            {
                return;
            }

            await DeleteVolumeOnBackendAsync(volume, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Deletes a volume in <c>deleting</c> on its backend and removes it; on failure it becomes <c>error_deleting</c>.</summary>
    internal async Task DeleteVolumeOnBackendAsync(Volume volume, CancellationToken cancellationToken)
    {
        if (volume.Host is not null)
        {
            // A cascade delete claimed the snapshots with the volume: they go first, and if one cannot,
            // the volume stays whole on the backend (error_deleting) rather than losing what they depend on.
            if (await DeleteCascadedSnapshotsAsync(volume, cancellationToken).ConfigureAwait(false) is { } left)
            {
                await FailVolumeAsync(volume.Id, Deleting, VolumeStatus.ErrorDeleting, $"Volume deletion failed: {left}", cancellationToken).ConfigureAwait(false);
                return;
            }

            using var access = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null)
            {
                await FailVolumeAsync(volume.Id, Deleting, VolumeStatus.ErrorDeleting, refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await CallAsync("delete", timeout, ct => driver.DeleteVolumeAsync(ToRef(volume), ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailVolumeAsync(volume.Id, Deleting, VolumeStatus.ErrorDeleting, $"Volume deletion failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        bool removed;
        try
        {
            removed = await finalWrite.RunAsync(
                volume.Id, "deleted", ct => volumes.TryRemoveAsync(volume.Id, VolumeStatus.Deleting, ct), cancellationToken, isAnswer: ex => ex is InvalidOperationException)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // A snapshot was taken between the API's "no snapshots" check and the delete: the record
            // cannot go, so it must not stay "deleting" either.
            await FailVolumeAsync(volume.Id, Deleting, VolumeStatus.ErrorDeleting, $"Volume deletion failed: {ex.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!removed)
        {
            LogStatusMoved(logger, volume.Id, "delete");
        }
    }

    /// <summary>Deletes the volume's snapshots in <c>deleting</c> (a cascade delete); null when none is left, else which remain.</summary>
    private async Task<string?> DeleteCascadedSnapshotsAsync(Volume volume, CancellationToken cancellationToken)
    {
        var dependents = await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        if (dependents.Count == 0)
        {
            return null;
        }

        foreach (var snapshot in dependents.Where(s => s.Status == SnapshotStatus.Deleting))
        {
            await RunAsync(snapshot.Id, "delete snapshot", () => DeleteSnapshotOnBackendAsync(snapshot, volume, cancellationToken)).ConfigureAwait(false);
        }

        var left = await snapshots.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        return left.Count == 0 ? null : $"{left.Count} snapshot(s) could not be deleted first: {string.Join(", ", left.Select(s => $"{s.Id} ({s.Status.ToWireName()})"))}.";
    }

    public Task ExtendVolumeAsync(string volumeId, int newSizeGb, CancellationToken cancellationToken) =>
        ExtendVolumeAsync(volumeId, newSizeGb, attached: false, cancellationToken);

    /// <summary>
    /// Grows a volume in <c>extending</c>; it ends <c>in-use</c> when <paramref name="attached"/> (an attached
    /// volume extended from 3.42), <c>available</c> otherwise, or <c>error_extending</c> with the reason.
    /// </summary>
    public Task ExtendVolumeAsync(string volumeId, int newSizeGb, bool attached, CancellationToken cancellationToken) =>
        RunAsync(volumeId, "extend", async () =>
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            if (volume is not { Status: VolumeStatus.Extending })
            {
                return;
            }

            using var access = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null)
            {
                await FailVolumeAsync(volume.Id, Extending, VolumeStatus.ErrorExtending, refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await CallAsync("extend", timeout, ct => driver.ExtendVolumeAsync(ToRef(volume), newSizeGb, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailVolumeAsync(volume.Id, Extending, VolumeStatus.ErrorExtending, $"Volume extension to {newSizeGb} GB failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var extended = await finalWrite.RunAsync(
                volume.Id,
                $"{(attached ? "in-use" : "available")} at {newSizeGb} GB",
                ct => volumes.TryUpdateAsync(
                    volume.Id, Extending, v => v with { Status = attached ? VolumeStatus.InUse : VolumeStatus.Available, SizeGb = newSizeGb, ErrorReason = null }, ct),
                cancellationToken).ConfigureAwait(false);
            if (extended is null)
            {
                LogStatusMoved(logger, volume.Id, "extend");
            }
        });

    /// <summary>
    /// Reverts a volume in <c>reverting</c> to its snapshot in <c>restoring</c> (claimed together by the API).
    /// Both end <c>available</c>; on failure the volume is <c>error</c> with the reason and the snapshot
    /// <c>available</c> again, as in Cinder.
    /// </summary>
    public Task RevertToSnapshotAsync(string volumeId, string snapshotId, CancellationToken cancellationToken) =>
        RunAsync(volumeId, "revert", async () =>
        {
            var volume = await volumes.FindAsync(volumeId, cancellationToken).ConfigureAwait(false);
            var snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            if (volume is not { Status: VolumeStatus.Reverting } || snapshot is not { Status: SnapshotStatus.Restoring })
            {
                return;
            }

            await RevertOnBackendAsync(volume, snapshot, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>The revert itself; the start-up clean-up repeats the driver's part (safe to repeat) with its own driver.</summary>
    private async Task RevertOnBackendAsync(Volume volume, Snapshot snapshot, CancellationToken cancellationToken)
    {
        using var access = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
        var (driver, timeout, refusal) = access;
        string? failure = null;
        if (driver is null)
        {
            failure = refusal!;
        }
        else
        {
            try
            {
                await CallAsync("revert", timeout, ct => driver.RevertToSnapshotAsync(ToRef(volume), ToRef(snapshot, volume), ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"Revert to snapshot {snapshot.Id} failed: {Describe(ex)}";
            }
        }

        await finalWrite.RunAsync(
            snapshot.Id, "available", ct => snapshots.TryUpdateAsync(snapshot.Id, [SnapshotStatus.Restoring], s => s with { Status = SnapshotStatus.Available }, ct), cancellationToken)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            await FailVolumeAsync(volume.Id, Reverting, VolumeStatus.Error, failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        var reverted = await finalWrite.RunAsync(
            volume.Id, "available", ct => volumes.TryUpdateAsync(volume.Id, Reverting, v => v with { Status = VolumeStatus.Available, ErrorReason = null }, ct), cancellationToken)
            .ConfigureAwait(false);
        if (reverted is null)
        {
            LogStatusMoved(logger, volume.Id, "revert");
        }
    }

    public Task CreateSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        RunAsync(snapshotId, "create snapshot", async () =>
        {
            var snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            if (snapshot is not { Status: SnapshotStatus.Creating })
            {
                return;
            }

            var volume = await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false);
            using var access = await DriverForAsync(volume?.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null || volume is null)
            {
                await FailSnapshotAsync(snapshot.Id, SnapshotCreating, SnapshotStatus.Error, refusal ?? "The snapshot's volume no longer exists.", cancellationToken).ConfigureAwait(false);
                return;
            }

            VolumeUpdate update;
            try
            {
                update = await CallAsync("snapshot", timeout, ct => driver.CreateSnapshotWithUpdateAsync(ToRef(snapshot, volume), ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailSnapshotAsync(snapshot.Id, SnapshotCreating, SnapshotStatus.Error, $"Snapshot creation failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var taken = await finalWrite.RunAsync(
                snapshot.Id, "available", ct => snapshots.TryUpdateAsync(snapshot.Id, SnapshotCreating, s => Stored(s, update) with { Status = SnapshotStatus.Available, ErrorReason = null }, ct), cancellationToken)
                .ConfigureAwait(false);
            if (taken is null)
            {
                LogStatusMoved(logger, snapshot.Id, "snapshot create");
            }
        });

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        RunAsync(snapshotId, "delete snapshot", async () =>
        {
            var snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            if (snapshot is not { Status: SnapshotStatus.Deleting })
            {
                return;
            }

            var volume = await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false);
            await DeleteSnapshotOnBackendAsync(snapshot, volume, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Deletes a snapshot in <c>deleting</c> on its backend and removes it; on failure it becomes <c>error_deleting</c>.</summary>
    internal async Task DeleteSnapshotOnBackendAsync(Snapshot snapshot, Volume? volume, CancellationToken cancellationToken)
    {
        if (volume?.Host is not null)
        {
            using var access = await DriverForAsync(volume.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null)
            {
                await FailSnapshotAsync(snapshot.Id, SnapshotDeleting, SnapshotStatus.ErrorDeleting, refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await CallAsync("snapshot delete", timeout, ct => driver.DeleteSnapshotAsync(ToRef(snapshot, volume), ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailSnapshotAsync(snapshot.Id, SnapshotDeleting, SnapshotStatus.ErrorDeleting, $"Snapshot deletion failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (!await finalWrite.RunAsync(snapshot.Id, "deleted", ct => snapshots.TryRemoveAsync(snapshot.Id, SnapshotStatus.Deleting, ct), cancellationToken).ConfigureAwait(false))
        {
            LogStatusMoved(logger, snapshot.Id, "snapshot delete");
        }
    }

    /// <summary>
    /// Exports <paramref name="volume"/> to <paramref name="connector"/> and returns how to reach it. Unlike
    /// the queued operations this is a call the API waits for (Cinder's RPC call), and it changes no status:
    /// a failure is the caller's answer, not the volume's state.
    /// </summary>
    public Task<ConnectionResult> InitializeConnectionAsync(Volume volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return ConnectAsync(
            volume,
            "initialize_connection",
            async (driver, ct) =>
            {
                var info = await driver.InitializeConnectionAsync(ToRef(volume), connector, ct).ConfigureAwait(false);
                await StoreExportUpdateAsync(volume.Id, info.ExportUpdate, ct).ConfigureAwait(false);
                return info;
            },
            cancellationToken);
    }

    /// <summary>Removes the export of <paramref name="volume"/> for <paramref name="connector"/>; see <see cref="InitializeConnectionAsync"/>.</summary>
    public Task<ConnectionResult> TerminateConnectionAsync(Volume volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return ConnectAsync(
            volume,
            "terminate_connection",
            async (driver, ct) =>
            {
                await driver.TerminateConnectionAsync(ToRef(volume), connector, ct).ConfigureAwait(false);
                return null;
            },
            cancellationToken);
    }

    /// <summary>A backend refusal in the words the API and the volume's error reason use.</summary>
    public static string NotReadyReason(BackendSnapshot backend)
    {
        var detail = backend.ErrorText is null ? string.Empty : $" ({backend.ErrorText})";
        return $"Backend {backend.Host} is {backend.State.ToWireName()}{detail}.";
    }

    // Every call hands the driver the provider_* fields read from the database, as Cinder's volume objects carry them.
    internal static VolumeRef ToRef(Volume volume) =>
        new(volume.Id, volume.SizeGb) { ProviderLocation = volume.ProviderLocation, ProviderAuth = volume.ProviderAuth, ProviderId = volume.ProviderId };

    internal static SnapshotRef ToRef(Snapshot snapshot, Volume volume) =>
        new(snapshot.Id, ToRef(volume))
        {
            SizeGb = snapshot.SizeGb,
            ProviderLocation = snapshot.ProviderLocation,
            ProviderAuth = snapshot.ProviderAuth,
            ProviderId = snapshot.ProviderId,
        };

    /// <summary>The volume as the driver's create sees it: with its type's back-end QoS specs and encryption, read now.</summary>
    private async Task<VolumeRef> CreateTargetAsync(Volume volume, CancellationToken cancellationToken)
    {
        var target = ToRef(volume);
        if (typeSpecs is null || volume.VolumeTypeId is null)
        {
            return target;
        }

        var specs = await typeSpecs.ForCreateAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        return target with { QosSpecs = specs.QosSpecs, Encryption = specs.Encryption };
    }

    private static string Describe(Exception ex)
    {
        var cause = DriverErrorClassifier.RootCause(ex);
        return $"{cause.GetType().Name}: {cause.Message}";
    }

    private async Task<VolumeUpdate> CreateOnDriverAsync(IVolumeDriver driver, Volume volume, VolumeRef target, CancellationToken cancellationToken)
    {
        if (volume.SourceSnapshotId is { } snapshotId)
        {
            var snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false)
                ?? throw new DriverException($"Source snapshot {snapshotId} no longer exists.");
            var parent = await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false)
                ?? throw new DriverException($"The volume of source snapshot {snapshotId} no longer exists.");
            return await driver.CreateVolumeFromSnapshotAsync(target, ToRef(snapshot, parent), cancellationToken).ConfigureAwait(false);
        }

        if (volume.SourceVolumeId is { } sourceId)
        {
            var source = await volumes.FindAsync(sourceId, cancellationToken).ConfigureAwait(false)
                ?? throw new DriverException($"Source volume {sourceId} no longer exists.");
            return await driver.CreateCloneAsync(target, ToRef(source), cancellationToken).ConfigureAwait(false);
        }

        return await driver.CreateVolumeAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConnectionResult> ConnectAsync(
        Volume volume, string operation, Func<IVolumeDriver, CancellationToken, Task<ConnectionInfo?>> call, CancellationToken cancellationToken)
    {
        using var access = await DriverForAsync(volume.BackendHost, cancellationToken, waitWhileInitializing: false).ConfigureAwait(false);
        var (driver, timeout, refusal) = access;
        if (driver is null)
        {
            return ConnectionResult.Fail(ConnectionFailure.BackendUnavailable, refusal!);
        }

        try
        {
            return ConnectionResult.Success(await CallAsync(operation, timeout, ct => call(driver, ct), cancellationToken).ConfigureAwait(false));
        }
        catch (NotSupportedException ex)
        {
            return ConnectionResult.Fail(ConnectionFailure.NotSupported, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"{operation} of volume {volume.Id} failed: {Describe(ex)}";
            LogConnectionFailed(logger, volume.Id, operation, Describe(ex));
            return ConnectionResult.Fail(ConnectionFailure.DriverError, reason);
        }
    }

    private async Task FailVolumeAsync(string id, VolumeStatus[] expected, VolumeStatus status, string reason, CancellationToken cancellationToken)
    {
        LogOperationFailed(logger, id, status.ToWireName(), reason);
        await finalWrite.RunAsync(id, status.ToWireName(), ct => volumes.TryUpdateAsync(id, expected, v => v with { Status = status, ErrorReason = reason }, ct), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task FailSnapshotAsync(string id, SnapshotStatus[] expected, SnapshotStatus status, string reason, CancellationToken cancellationToken)
    {
        LogOperationFailed(logger, id, status.ToWireName(), reason);
        await finalWrite.RunAsync(id, status.ToWireName(), ct => snapshots.TryUpdateAsync(id, expected, s => s with { Status = status, ErrorReason = reason }, ct), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task RunAsync(string id, string name, Func<Task> operation)
    {
        if (!inFlight.TryAdd((id, name), 0))
        {
            // The same request delivered twice: the first delivery owns it.
            return;
        }

        try
        {
            await operation().ConfigureAwait(false);
        }
        finally
        {
            inFlight.TryRemove((id, name), out _);
        }
    }

    [LoggerMessage(400, LogLevel.Warning, "{Id}: {Status}: {Reason}")]
    private static partial void LogOperationFailed(ILogger logger, string id, string status, string reason);

    [LoggerMessage(402, LogLevel.Warning, "An abandoned driver {Operation} call failed after it was given up: {Message}")]
    private static partial void LogAbandoned(ILogger logger, string operation, string message);

    [LoggerMessage(403, LogLevel.Warning, "{Id}: {Operation} failed: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, string id, string operation, string reason);

    [LoggerMessage(401, LogLevel.Information, "{Id}: status changed by another request during {Operation}; leaving it as it is")]
    private static partial void LogStatusMoved(ILogger logger, string id, string operation);
}
