using System.Globalization;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>Reads the text of <c>tgtadm --op show --mode target</c> and <c>--mode account</c>.</summary>
internal static class TgtShowParser
{
    private enum Section
    {
        Other,
        Luns,
        Accounts,
        Acls,
    }

    /// <summary>Every target in <paramref name="text"/>.</summary>
    public static IReadOnlyList<TgtTarget> ParseTargets(string text)
    {
        var targets = new List<TgtTarget>();
        Builder? current = null;
        var section = Section.Other;
        int? lun = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]) && TryTargetHeader(trimmed, out var tid, out var iqn))
            {
                if (current is not null)
                {
                    targets.Add(current.Build());
                }

                current = new Builder(tid, iqn);
                section = Section.Other;
                lun = null;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            // Section headers sit one level in ("    LUN information:"); their contents deeper.
            if (Indent(line) <= 4 && trimmed.EndsWith(':'))
            {
                section = trimmed switch
                {
                    "LUN information:" => Section.Luns,
                    "Account information:" => Section.Accounts,
                    "ACL information:" => Section.Acls,
                    _ => Section.Other,
                };
                continue;
            }

            switch (section)
            {
                case Section.Luns when trimmed.StartsWith("LUN:", StringComparison.Ordinal):
                    lun = int.TryParse(trimmed.AsSpan(4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
                    break;
                case Section.Luns when lun is { } l && trimmed.StartsWith("Backing store path:", StringComparison.Ordinal):
                    current.BackingStores[l] = trimmed["Backing store path:".Length..].Trim();
                    break;
                case Section.Accounts:
                    current.Accounts.Add(trimmed.Split(' ')[0]);
                    break;
                case Section.Acls:
                    current.Acls.Add(trimmed);
                    break;
            }
        }

        if (current is not null)
        {
            targets.Add(current.Build());
        }

        return targets;
    }

    /// <summary>The user names of <c>--op show --mode account</c> ("Account list:" then one per line).</summary>
    public static IReadOnlyList<string> ParseAccounts(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "Account list:").Select(l => l.Split(' ')[0])];

    private static bool TryTargetHeader(string line, out int tid, out string iqn)
    {
        tid = 0;
        iqn = string.Empty;
        if (!line.StartsWith("Target ", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(line.AsSpan(7, colon - 7), NumberStyles.None, CultureInfo.InvariantCulture, out tid))
        {
            return false;
        }

        iqn = line[(colon + 1)..].Trim();
        return iqn.Length > 0;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private sealed class Builder(int tid, string iqn)
    {
        public Dictionary<int, string> BackingStores { get; } = [];

        public List<string> Accounts { get; } = [];

        public List<string> Acls { get; } = [];

        public TgtTarget Build() => new(tid, iqn, BackingStores, Accounts, Acls);
    }
}
