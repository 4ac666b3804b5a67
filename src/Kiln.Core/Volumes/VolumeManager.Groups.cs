using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>Group snapshots: several snapshots taken with one driver call.</summary>
public sealed partial class VolumeManager
{
    /// <summary>
    /// Takes the snapshots <paramref name="snapshotIds"/> (all <c>creating</c>, of volumes on one backend)
    /// as one set with <see cref="IVolumeDriver.CreateSnapshotSetAsync"/>: every one ends <c>available</c>,
    /// or every one ends <c>error</c> with the reason. While it runs the
    /// snapshots count as in flight, so a backend re-initialization's clean-up leaves them alone.
    /// </summary>
    public async Task CreateSnapshotSetAsync(IReadOnlyList<string> snapshotIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshotIds);
        var claimed = snapshotIds.Where(id => inFlight.TryAdd((id, "create snapshot"), 0)).ToList();
        try
        {
            var members = new List<(Snapshot Snapshot, Volume Volume)>();
            var missing = new List<string>();
            foreach (var id in claimed)
            {
                var snapshot = await snapshots.FindAsync(id, cancellationToken).ConfigureAwait(false);
                if (snapshot is not { Status: SnapshotStatus.Creating })
                {
                    continue;
                }

                var volume = await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false);
                if (volume is null)
                {
                    missing.Add(snapshot.Id);
                }
                else
                {
                    members.Add((snapshot, volume));
                }
            }

            if (members.Count == 0 && missing.Count == 0)
            {
                return; // A repeated delivery: every snapshot of the set has its final status already.
            }

            if (missing.Count > 0)
            {
                await FailSetAsync([.. members.Select(m => m.Snapshot.Id), .. missing], "The volume of a snapshot in the set no longer exists.", cancellationToken).ConfigureAwait(false);
                return;
            }

            using var access = await DriverForAsync(members[0].Volume.BackendHost, cancellationToken).ConfigureAwait(false);
            var (driver, timeout, refusal) = access;
            if (driver is null)
            {
                await FailSetAsync(members.ConvertAll(m => m.Snapshot.Id), refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            var refs = members.ConvertAll(m => ToRef(m.Snapshot, m.Volume));
            try
            {
                await CallAsync("group snapshot", timeout, ct => driver.CreateSnapshotSetAsync(refs, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await FailSetAsync(members.ConvertAll(m => m.Snapshot.Id), $"Group snapshot creation failed: {Describe(ex)}", cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var (snapshot, _) in members)
            {
                var taken = await finalWrite.RunAsync(
                    snapshot.Id, "available", ct => snapshots.TryUpdateAsync(snapshot.Id, SnapshotCreating, s => s with { Status = SnapshotStatus.Available, ErrorReason = null }, ct), cancellationToken)
                    .ConfigureAwait(false);
                if (taken is null)
                {
                    LogStatusMoved(logger, snapshot.Id, "group snapshot create");
                }
            }
        }
        finally
        {
            foreach (var id in claimed)
            {
                inFlight.TryRemove((id, "create snapshot"), out _);
            }
        }
    }

    private async Task FailSetAsync(IEnumerable<string> ids, string reason, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            await FailSnapshotAsync(id, SnapshotCreating, SnapshotStatus.Error, reason, cancellationToken).ConfigureAwait(false);
        }
    }
}
