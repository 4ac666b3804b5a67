using Kiln.Core.Volumes;

namespace Kiln.Server.Groups;

/// <summary>
/// The groups' part of a backend's initialization clean-up, run after the volumes' and snapshots'
/// (<see cref="TransitionalResourceCleaner"/>), which has already ended or resumed their members:
/// a group or group snapshot left <c>creating</c> by an earlier run ends in <c>error</c> with a reason;
/// one left <c>deleting</c> is removed when its members are gone, or becomes <c>error_deleting</c>.
/// </summary>
public sealed partial class GroupCleaner(IGroupRepository groups, GroupManager manager, ILogger<GroupCleaner> logger)
{
    private static readonly GroupStatus[] Creating = [GroupStatus.Creating];

    public async Task CleanupAsync(string host, CancellationToken cancellationToken)
    {
        var cleaned = 0;
        foreach (var snapshot in await groups.ListSnapshotsByBackendAsync(host, cancellationToken).ConfigureAwait(false))
        {
            if (!snapshot.Status.IsTransitional() || manager.IsInFlight(snapshot.Id))
            {
                continue;
            }

            cleaned++;
            if (snapshot.Status == GroupStatus.Deleting)
            {
                await manager.FinishSnapshotDeleteAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await groups.TryUpdateSnapshotAsync(
                    snapshot.Id, [snapshot.Status], s => s with { Status = GroupStatus.Error, ErrorReason = $"Group snapshot creation {TransitionalResourceCleaner.InterruptedReason}." },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var group in await groups.ListByBackendAsync(host, cancellationToken).ConfigureAwait(false))
        {
            if (!group.Status.IsTransitional() || manager.IsInFlight(group.Id))
            {
                continue;
            }

            cleaned++;
            if (group.Status == GroupStatus.Deleting)
            {
                await manager.FinishDeleteAsync(group.Id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await groups.TryUpdateAsync(
                    group.Id, [group.Status], g => g with { Status = GroupStatus.Error, ErrorReason = $"Group creation {TransitionalResourceCleaner.InterruptedReason}." },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        if (cleaned > 0)
        {
            LogCleaned(logger, host, cleaned);
        }
    }

    [LoggerMessage(2103, LogLevel.Information, "Backend {Backend}: resolved {Count} groups and group snapshots left in transitional statuses")]
    private static partial void LogCleaned(ILogger logger, string backend, int count);
}
