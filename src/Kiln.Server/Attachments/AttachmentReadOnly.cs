using Kiln.Core.Volumes;

namespace Kiln.Server.Attachments;

/// <summary>Cinder's read-only flag: the admin metadata <c>readonly</c> that <c>os-update_readonly_flag</c> sets.</summary>
internal static class AttachmentReadOnly
{
    public static bool Is(Volume volume) =>
        volume.AdminMetadata.TryGetValue(Api.VolumeAdminMetadata.ReadOnly, out var value) && string.Equals(value, "True", StringComparison.OrdinalIgnoreCase);
}
