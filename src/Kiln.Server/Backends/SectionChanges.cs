using Kiln.Core.Drivers;

namespace Kiln.Server.Backends;

/// <summary>What differs between two readings of a backend's section: option names only, never values (they may be secrets).</summary>
internal static class SectionChanges
{
    /// <summary>The options added, removed or changed from <paramref name="before"/> to <paramref name="after"/>, sorted.</summary>
    public static IReadOnlyList<string> Between(BackendSection before, BackendSection after) =>
        [.. before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(option => !string.Equals(before.GetString(option), after.GetString(option), StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The changes as a log phrase: <c>a, b</c>, or <c>none</c>.</summary>
    public static string Describe(IReadOnlyList<string> changed) => changed.Count == 0 ? "none" : string.Join(", ", changed);
}
