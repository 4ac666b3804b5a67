using System.Text.Json.Serialization;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// One export as recorded in the state file: enough to re-create its target after a restart, with the
/// initiators granted (null in a record written before Kiln tracked them: open to all, as it was).
/// </summary>
internal sealed record ExportRecord(
    [property: JsonPropertyName("volume_id")] string VolumeId,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("target_iqn")] string TargetIqn,
    [property: JsonPropertyName("tid")] int Tid,
    [property: JsonPropertyName("auth_username")] string? AuthUsername,
    [property: JsonPropertyName("auth_password")] string? AuthPassword,
    [property: JsonPropertyName("initiators")] IReadOnlyList<string>? Initiators = null);
