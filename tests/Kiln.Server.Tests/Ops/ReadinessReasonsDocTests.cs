using System.Reflection;
using System.Text.RegularExpressions;
using Kiln.Server.Health;

namespace Kiln.Server.Tests.Ops;

/// <summary>
/// docs/ops/monitoring.md lists exactly the readiness <c>reason</c> values the code can give. The code's
/// set is read from the code itself, so a new reason (or a new database check result) fails this test
/// until it is documented, and a documented reason the code no longer gives fails it too.
/// </summary>
public sealed partial class ReadinessReasonsDocTests
{
    [Fact]
    public async Task MonitoringDoc_ReasonList_IsExactlyTheReasonsTheCodeGives()
    {
        var doc = await File.ReadAllTextAsync(Repository.PathOf("docs/ops/monitoring.md"), TestContext.Current.CancellationToken);
        var row = doc.Split('\n').Single(l => l.StartsWith("| `reason` |", StringComparison.Ordinal));
        var documented = Code().Matches(row["| `reason` |".Length..]).Select(m => m.Groups[1].Value).ToHashSet();

        var produced = await ReasonsInCodeAsync();

        produced.ShouldContain("database starting");
        produced.ShouldContain("no backend is ready or degraded");
        documented.Order().ShouldBe(produced.Order(), $"documented: {string.Join(", ", documented)}; produced: {string.Join(", ", produced)}");
    }

    /// <summary>
    /// Every reason <see cref="ReadinessCheck"/> assigns: its literal strings, its <c>$"database {db}"</c>
    /// expanded with every result of <see cref="DatabaseCheck"/> but <see cref="DatabaseCheck.Ok"/> and
    /// <see cref="DatabaseCheck.Failing"/>, and the reasons that come with <see cref="DatabaseCheck.Failing"/>
    /// (the <c>…Reason</c> constants; a prefix is documented followed by <c>&lt;cause&gt;</c>).
    /// </summary>
    private static async Task<HashSet<string>> ReasonsInCodeAsync()
    {
        var source = await File.ReadAllTextAsync(Repository.PathOf("src/Kiln.Server/Health/ReadinessCheck.cs"), TestContext.Current.CancellationToken);
        var constants = typeof(DatabaseCheck).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, Value: (string)f.GetRawConstantValue()!))
            .ToList();
        var databaseResults = constants
            .Where(c => !c.Name.Contains("Reason", StringComparison.Ordinal) && c.Value != DatabaseCheck.Ok && c.Value != DatabaseCheck.Failing)
            .Select(c => c.Value)
            .ToList();
        var failingReasons = constants
            .Where(c => c.Name.Contains("Reason", StringComparison.Ordinal))
            .Select(c => c.Name.EndsWith("Prefix", StringComparison.Ordinal) ? c.Value + "<cause>" : c.Value)
            .ToList();
        databaseResults.ShouldContain(DatabaseCheck.Starting);
        var reasons = new HashSet<string>(failingReasons, StringComparer.Ordinal);
        foreach (Match assignment in ReasonAssignment().Matches(source))
        {
            var text = assignment.Groups["text"].Value;
            if (assignment.Groups["interpolated"].Success)
            {
                text.ShouldBe("database {db.Status}", "an interpolated reason this test does not know how to expand");
                reasons.UnionWith(databaseResults.Select(r => $"database {r}"));
            }
            else
            {
                reasons.Add(text);
            }
        }

        return reasons;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex("""reason = (?:db\.Reason \?\? )?(?<interpolated>\$)?"(?<text>[^"]*)";""")]
    private static partial Regex ReasonAssignment();
}
