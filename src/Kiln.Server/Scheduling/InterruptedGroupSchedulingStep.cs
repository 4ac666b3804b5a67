using Kiln.Server.Groups;
using Kiln.Server.Messaging;
using Kiln.Server.Services;

namespace Kiln.Server.Scheduling;

/// <summary>
/// As <see cref="InterruptedSchedulingStep"/> for groups: with in-process messaging a group still in
/// <c>creating</c> without a host will never be placed, so it ends in <c>error</c> with a reason.
/// </summary>
internal sealed class InterruptedGroupSchedulingStep(IMessageBus bus, IGroupRepository groups) : IDatabaseStartupStep
{
    private static readonly GroupStatus[] Creating = [GroupStatus.Creating];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (bus.IsDurable)
        {
            return;
        }

        foreach (var orphan in await groups.ListUnscheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            await groups.TryUpdateAsync(orphan.Id, Creating, g => g with { Status = GroupStatus.Error, ErrorReason = GroupPlacement.InterruptedReason }, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
