using System.Text.RegularExpressions;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Telemetry;
using Kiln.Tests.Shared;

namespace Kiln.Server.Tests.Ops;

/// <summary>docs/ops/alerts.yml is valid, does what its unit tests say, and uses only metrics Kiln exports.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public async Task PromtoolCheckRules_AlertsFile_Succeeds()
    {
        var (exitCode, output) = await Promtool.RunAsync("check", "rules", "docs/ops/alerts.yml");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("SUCCESS: 5 rules found");
    }

    [Fact]
    public async Task PromtoolTestRules_AlertsUnitTests_Pass()
    {
        var (exitCode, output) = await Promtool.RunAsync("test", "rules", "docs/ops/alerts.test.yml");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public async Task PromtoolCheckMetrics_AScrapeOfKiln_FollowsPrometheusNamingConventions()
    {
        var (scrape, _) = await ScrapeAfterRecoveryAsync();

        var (exitCode, output) = await Promtool.RunWithInputAsync(scrape.Text, "check", "metrics");

        exitCode.ShouldBe(0, output);
        output.Trim().ShouldBeEmpty("promtool lists every naming problem it finds");
    }

    [Fact]
    public async Task AlertsFile_EveryKilnMetricItUses_IsExported()
    {
        var rules = await File.ReadAllTextAsync(Repository.PathOf("docs/ops/alerts.yml"), TestContext.Current.CancellationToken);
        var used = KilnMetricName().Matches(rules).Select(m => m.Value).ToHashSet();
        used.ShouldNotBeEmpty();

        var exported = await ExportedFamiliesAsync();

        used.Except(exported).ShouldBeEmpty($"exported: {string.Join(", ", exported)}");
    }

    [Fact]
    public async Task MonitoringDoc_EveryExportedKilnMetric_IsDocumentedAndNothingElse()
    {
        var doc = await File.ReadAllTextAsync(Repository.PathOf("docs/ops/monitoring.md"), TestContext.Current.CancellationToken);
        var documented = DocumentedMetric().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();

        var exported = await ExportedFamiliesAsync();

        exported.Except(documented).ShouldBeEmpty("exported but not in the metrics table of monitoring.md");
        documented.Except(exported).Except(RabbitMqOnly).ShouldBeEmpty("in the metrics table of monitoring.md but not exported");
        RabbitMqOnly.ShouldAllBe(metric => documented.Contains(metric));
    }

    /// <summary>The kiln_ metric families of a scrape after a backend has failed and recovered (so the histogram exists).</summary>
    private static async Task<HashSet<string>> ExportedFamiliesAsync() =>
        (await ScrapeAfterRecoveryAsync()).Families;

    private static async Task<(PrometheusScrape Scrape, HashSet<string> Families)> ScrapeAfterRecoveryAsync()
    {
        await using var server = await TestServer.StartAsync("flaky", """
            [flaky]
            volume_driver = fault
            fault_control_file = $DIR/flaky.json
            """, dir => File.WriteAllText(Path.Combine(dir, "flaky.json"), $$"""{"ready_file": "{{dir}}/up"}"""));
        var flaky = server.Service<BackendCatalog>().Find("node@flaky")!;
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Failed, "flaky fails");
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "up"), string.Empty, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Ready, "flaky recovers", () => server.Time.Advance(TimeSpan.FromMilliseconds(500)));

        // A create, so the per-hop message histograms have a measurement (a histogram shows only then).
        using var created = await server.Client.PostAsync(
            "/v3/admin/volumes", new StringContent("""{"volume": {"size": 1}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);

        var scrape = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client),
            s => s.Types.ContainsKey("kiln_backend_recovery_duration_seconds") && s.Types.ContainsKey("kiln_messages_handling_seconds"),
            "the recovery and message histograms show");
        return (scrape, [.. scrape.Types.Keys.Where(name => name.StartsWith("kiln_", StringComparison.Ordinal))]);
    }

    // Exported only by a node whose bus is RabbitMQ (RabbitMqMessageBusTests records it), not by this embedded server.
    private static readonly string[] RabbitMqOnly = ["kiln_messages_send_seconds"];

    [GeneratedRegex("kiln_[a-z_]+")]
    private static partial Regex KilnMetricName();

    // A row of the metrics table: | `kiln_...` | type | ...
    [GeneratedRegex(@"^\| `(kiln_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedMetric();
}
