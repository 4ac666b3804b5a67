namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// Who may log in to a volume's target: the initiator names of the hosts it was exported to, or
/// <see cref="All"/> for an export whose connector named no initiator (or was recorded before Kiln tracked them).
/// </summary>
internal static class TgtAcl
{
    /// <summary>tgt's address ACL that admits every initiator.</summary>
    public const string All = "ALL";

    /// <summary>The ACL entries <paramref name="record"/> asks for.</summary>
    public static IReadOnlyList<string> Of(ExportRecord record) =>
        record.Initiators is { Count: > 0 } initiators ? initiators : [All];

    /// <summary>The ACL entry a connector asks for: its initiator name, or <see cref="All"/> without one.</summary>
    public static string Entry(Kiln.Core.Drivers.ConnectorInfo? connector) =>
        string.IsNullOrWhiteSpace(connector?.Initiator) ? All : connector.Initiator.Trim();

    /// <summary>
    /// The record's initiators with <paramref name="entry"/> added; the same list when it is already there.
    /// A record from before initiators were tracked (null) stays open to all: its hosts are unknown.
    /// </summary>
    public static IReadOnlyList<string>? Grant(ExportRecord? recorded, string entry) => recorded switch
    {
        null => [entry],
        { Initiators: null } => null,
        { Initiators: var list } when list.Contains(entry, StringComparer.Ordinal) => list,
        { Initiators: var list } => [.. list, entry],
    };
}
