using Kiln.Core.Volumes;

namespace Kiln.Server.Volumes;

/// <summary>
/// Status changes of snapshots that touch no backend: the administrator's <c>os-reset_status</c> and
/// <c>os-update_snapshot_status</c>, which Cinder lets a caller (a driver's helper, originally) move a
/// snapshot along creating → available/error and deleting → error_deleting.
/// </summary>
public sealed class SnapshotStatusChanges(ISnapshotRepository snapshots)
{
    // Cinder's status_map in snapshot_actions.py: from which status to which the update may go.
    private static readonly Dictionary<SnapshotStatus, SnapshotStatus[]> Updates = new()
    {
        [SnapshotStatus.Creating] = [SnapshotStatus.Creating, SnapshotStatus.Available, SnapshotStatus.Error],
        [SnapshotStatus.Deleting] = [SnapshotStatus.Deleting, SnapshotStatus.ErrorDeleting],
    };

    /// <summary>Sets any snapshot status (and clears the error reason).</summary>
    public async Task<Outcome<Snapshot>> ResetAsync(Caller caller, string id, string? status, CancellationToken cancellationToken)
    {
        if (!StatusNames.TryParseSnapshot(status, out var target))
        {
            var valid = string.Join(", ", Enum.GetValues<SnapshotStatus>().Select(s => s.ToWireName()));
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Invalid status '{status}': must be one of {valid}.");
        }

        var snapshot = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? NotFound(id) : await SetAsync(snapshot, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Cinder's <c>os-update_snapshot_status</c>: only from creating or deleting, only to the statuses
    /// that may follow; <paramref name="progress"/>, when given, is stored as the snapshot's progress.
    /// </summary>
    public async Task<Outcome<Snapshot>> UpdateAsync(Caller caller, string id, string? status, CancellationToken cancellationToken, string? progress = null)
    {
        var snapshot = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return NotFound(id);
        }

        if (!Updates.TryGetValue(snapshot.Status, out var allowed))
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Snapshot status {snapshot.Status.ToWireName()} not allowed for update_snapshot_status");
        }

        if (!StatusNames.TryParseSnapshot(status, out var target) || !allowed.Contains(target))
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Provided snapshot status {status} not allowed for snapshot with status {snapshot.Status.ToWireName()}.");
        }

        return await SetAsync(snapshot, target, cancellationToken, progress).ConfigureAwait(false);
    }

    private async Task<Outcome<Snapshot>> SetAsync(Snapshot snapshot, SnapshotStatus target, CancellationToken cancellationToken, string? progress = null)
    {
        var updated = await snapshots.TryUpdateAsync(
            snapshot.Id, [snapshot.Status], s => s with { Status = target, ErrorReason = null, Progress = progress ?? s.Progress }, cancellationToken).ConfigureAwait(false);
        return updated is null
            ? Outcome<Snapshot>.Refuse(Refusal.Conflict, $"Snapshot {snapshot.Id} changed status while the request was handled; try again.")
            : updated;
    }

    private async Task<Snapshot?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return snapshot is not null && caller.Sees(snapshot.ProjectId) ? snapshot : null;
    }

    private static Outcome<Snapshot> NotFound(string id) => Outcome<Snapshot>.Refuse(Refusal.NotFound, $"Snapshot {id} could not be found.");
}
