using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Cinder's <c>add_visible_admin_metadata</c>: the admin metadata keys every caller sees, merged into
/// the volume's <c>metadata</c> in its views (Tempest reads <c>metadata.readonly</c> after
/// <c>os-update_readonly_flag</c>). The owner's metadata calls never see or change them.
/// </summary>
internal static class VolumeAdminMetadata
{
    /// <summary>The admin metadata key <c>os-update_readonly_flag</c> writes (<c>True</c> or <c>False</c>).</summary>
    public const string ReadOnly = "readonly";

    private static readonly string[] VisibleKeys = [ReadOnly, "attached_mode"];

    /// <summary>The volume's metadata plus its visible admin metadata (which wins on a clash, as in Cinder).</summary>
    public static IReadOnlyDictionary<string, string> Visible(Volume volume)
    {
        if (!volume.AdminMetadata.Keys.Any(VisibleKeys.Contains))
        {
            return volume.Metadata;
        }

        var merged = new Dictionary<string, string>(volume.Metadata, StringComparer.Ordinal);
        foreach (var key in VisibleKeys)
        {
            if (volume.AdminMetadata.TryGetValue(key, out var value))
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
