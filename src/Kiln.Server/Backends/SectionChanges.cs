using Kiln.Core.Drivers;

namespace Kiln.Server.Backends;

/// <summary>What differs between two readings of a backend's section: option names only, never values (they may be secrets).</summary>
internal static class SectionChanges
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>
    /// The options added, removed or changed from <paramref name="before"/> to <paramref name="after"/>, sorted: the
    /// section's own as <c>option</c>, then those of the other sections its driver reads (an upstream Cinder driver's
    /// [DEFAULT] and [backend_defaults]) as <c>[section] option</c>, so a change there re-initializes the backend too.
    /// </summary>
    public static IReadOnlyList<string> Between(BackendSection before, BackendSection after) =>
        [.. Changed(before.Keys, after.Keys, before.GetString, after.GetString),
         .. before.SharedSections.Keys.Union(after.SharedSections.Keys, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .SelectMany(name =>
            {
                var (was, now) = (before.SharedSections.GetValueOrDefault(name) ?? None, after.SharedSections.GetValueOrDefault(name) ?? None);
                return Changed(was.Keys, now.Keys, was.GetValueOrDefault, now.GetValueOrDefault).Select(option => $"[{name}] {option}");
            })];

    /// <summary>The changes as a log phrase: <c>a, b</c>, or <c>none</c>.</summary>
    public static string Describe(IReadOnlyList<string> changed) => changed.Count == 0 ? "none" : string.Join(", ", changed);

    private static IEnumerable<string> Changed(IEnumerable<string> before, IEnumerable<string> after, Func<string, string?> was, Func<string, string?> now) =>
        before.Union(after, StringComparer.OrdinalIgnoreCase)
            .Where(option => !string.Equals(was(option), now(option), StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase);
}
