using Kiln.Core.Volumes;
using Kiln.Server.Messaging;
using Kiln.Server.Services;

namespace Kiln.Server.Scheduling;

/// <summary>
/// Start-up step of the scheduler role: with in-process messaging the queue died with the previous
/// process, so a volume still in <c>creating</c> without a host will never be scheduled. It ends in
/// <c>error</c> with a reason, before the API accepts new requests.
/// </summary>
internal sealed class InterruptedSchedulingStep(IMessageBus bus, IVolumeRepository volumes) : IDatabaseStartupStep
{
    private static readonly VolumeStatus[] Creating = [VolumeStatus.Creating];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (bus.IsDurable)
        {
            return;
        }

        foreach (var orphan in await volumes.ListUnscheduledAsync(VolumeStatus.Creating, cancellationToken).ConfigureAwait(false))
        {
            await volumes.TryUpdateAsync(
                    orphan.Id, Creating, v => v with { Status = VolumeStatus.Error, ErrorReason = SchedulerWorker.InterruptedReason }, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
