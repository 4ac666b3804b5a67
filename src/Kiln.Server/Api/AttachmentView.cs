using System.Text.Json;
using Kiln.Core.Attachments;

namespace Kiln.Server.Api;

/// <summary>
/// Attachments as Cinder shows them (<c>cinder/api/v3/views/attachments.py</c>): the summary (id,
/// status, instance, volume_id), the detail adding times, mode and connection info, and the entries of
/// a volume's <c>attachments</c> list, where <c>host_name</c> is shown to administrators only.
/// </summary>
internal static class AttachmentView
{
    public static Dictionary<string, object?> Summary(VolumeAttachment attachment) => new()
    {
        ["id"] = attachment.Id,
        ["status"] = attachment.Status.ToWireName(),
        ["instance"] = attachment.InstanceUuid,
        ["volume_id"] = attachment.VolumeId,
    };

    public static Dictionary<string, object?> Detail(VolumeAttachment attachment)
    {
        var view = Summary(attachment);
        // Cinder normalizes a missing time to the empty string, not null.
        view["attached_at"] = ServiceView.Timestamp(attachment.AttachTime) ?? string.Empty;
        view["detached_at"] = ServiceView.Timestamp(attachment.DetachTime) ?? string.Empty;
        view["attach_mode"] = attachment.AttachMode;
        view["connection_info"] = ConnectionInfo(attachment);
        return view;
    }

    /// <summary>The stored connection info as JSON (an empty object before a connection was made, as Cinder shows it).</summary>
    public static JsonElement ConnectionInfo(VolumeAttachment attachment)
    {
        using var document = JsonDocument.Parse(attachment.ConnectionInfo ?? "{}");
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The entries of a volume's <c>attachments</c>: only attachments that are attached, in Cinder's keys
    /// (its <c>id</c> is the volume's id, as in Cinder).
    /// </summary>
    public static List<Dictionary<string, object?>> OfVolume(IEnumerable<VolumeAttachment> attachments, bool isAdmin) =>
        [.. attachments.Where(a => a.Status == AttachStatus.Attached).Select(a => new Dictionary<string, object?>
        {
            ["id"] = a.VolumeId,
            ["attachment_id"] = a.Id,
            ["volume_id"] = a.VolumeId,
            ["server_id"] = a.InstanceUuid,
            ["host_name"] = isAdmin ? a.AttachedHost : null,
            ["device"] = a.Mountpoint,
            ["attached_at"] = ServiceView.Timestamp(a.AttachTime),
        })];
}
