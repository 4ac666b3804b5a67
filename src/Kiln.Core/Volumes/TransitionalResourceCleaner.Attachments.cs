using Kiln.Core.Attachments;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>The attachment part of the start-up cleanup.</summary>
public sealed partial class TransitionalResourceCleaner
{
    /// <summary>
    /// Reserved, attaching, detaching and in-use are driven by the consumer (Nova), not by work of
    /// Kiln's, so, as Cinder's <c>init_host</c>, the cleanup keeps every attachment record: the consumer
    /// completes or deletes it. What a crash can leave wrong is the volume's status beside its records
    /// (killed between a reservation and its roll-back, or between a terminated connection and the
    /// record's removal): each such volume gets the status its attachments give it, the rule a detach
    /// uses (<see cref="AttachStatusNames.ForVolume"/>). A legacy <c>os-reserve</c> or
    /// <c>os-begin_detaching</c> without an attachment behind it goes back to available or in-use,
    /// from which the consumer's next <c>os-attach</c> or <c>os-detach</c> still works. Returns how
    /// many volumes changed.
    /// </summary>
    private async Task<int> SettleAttachStatusesAsync(IReadOnlyList<Volume> backendVolumes, CancellationToken cancellationToken)
    {
        if (attachments is null)
        {
            return 0;
        }

        var settled = 0;
        foreach (var volume in backendVolumes.Where(v => AttachmentRules.IsAttachStatus(v.Status)))
        {
            var status = await attachments.TrySettleAsync(volume.Id, [volume.Status], cancellationToken).ConfigureAwait(false);
            if (status is { } now && now != volume.Status)
            {
                settled++;
                LogAttachStatusSettled(logger, volume.Id, volume.Status.ToWireName(), now.ToWireName());
            }
        }

        return settled;
    }

    [LoggerMessage(2253, LogLevel.Information, "{Id}: status {Before} did not match its attachments after a restart; set to {After}, as its attachments say")]
    private static partial void LogAttachStatusSettled(ILogger logger, string id, string before, string after);
}
