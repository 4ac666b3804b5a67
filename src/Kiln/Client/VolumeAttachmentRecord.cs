using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>One entry of a volume's <c>attachments</c> (attached only); <c>host_name</c> is shown to administrators.</summary>
internal sealed record VolumeAttachmentRecord(string? AttachmentId, string? ServerId, string? HostName, string? Device, DateTimeOffset? AttachedAt)
{
    public static VolumeAttachmentRecord FromJson(JsonElement attachment) => new(
        AttachmentId: attachment.String("attachment_id"),
        ServerId: attachment.String("server_id"),
        HostName: attachment.String("host_name"),
        Device: attachment.String("device"),
        AttachedAt: attachment.Timestamp("attached_at"));

    /// <summary>One line for a details table: <c>ATTACHMENT to server SERVER on HOST at DEVICE</c>.</summary>
    public string Describe() =>
        $"{AttachmentId} to server {ServerId ?? "-"}{(HostName is null ? string.Empty : $" on {HostName}")}{(Device is null ? string.Empty : $" at {Device}")}";
}
