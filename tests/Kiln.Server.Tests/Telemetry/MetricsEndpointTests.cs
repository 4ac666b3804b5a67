using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;
using Kiln.Tests.Shared;

namespace Kiln.Server.Tests.Telemetry;

/// <summary><c>GET /metrics</c> of the real application, driven through a fault backend's failure and recovery on a fake clock.</summary>
public sealed class MetricsEndpointTests
{
    private const string State = "kiln_backend_state";
    private const string Attempts = "kiln_backend_init_attempts_total";
    private const string Recovery = "kiln_backend_recovery_duration_seconds";
    private const string StatsAge = "kiln_backend_stats_age_seconds";
    private const string Budget = "kiln_backend_reinit_budget_remaining";

    private static readonly string[] AllStates = ["initializing", "ready", "degraded", "failed", "gave_up", "unrecoverable", "stopped"];

    [Fact]
    public async Task Scrape_FaultBackendFailsThenRecovers_SeriesFollowTheLifecycle()
    {
        await using var server = await TestServer.StartAsync("good, flaky", """
            [good]
            volume_driver = fault

            [flaky]
            volume_driver = fault
            fault_control_file = $DIR/flaky.json
            """, dir => File.WriteAllText(Path.Combine(dir, "flaky.json"), $$"""{"ready_file": "{{dir}}/up"}"""));
        var flaky = server.Service<BackendCatalog>().Find("node@flaky")!;
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Failed, "flaky fails");
        var failedSince = flaky.Snapshot.Since;

        var failed = await PrometheusScrape.GetAsync(server.Client);

        failed.Types[State].ShouldBe("gauge");
        failed.Find(State, "backend", "node@flaky").Select(s => s.Labels["state"]).ShouldBe(AllStates, ignoreOrder: true);
        failed.Value(State, "backend", "node@flaky", "state", "failed").ShouldBe(1);
        failed.Find(State, "backend", "node@flaky").Sum(s => s.Value).ShouldBe(1);
        failed.Value(State, "backend", "node@good", "state", "ready").ShouldBe(1);
        failed.Types[Attempts].ShouldBe("counter");
        failed.Value(Attempts, "backend", "node@flaky", "outcome", "recoverable").ShouldBe(1);
        failed.Value(Attempts, "backend", "node@flaky", "outcome", "success").ShouldBe(0);
        failed.Value(Attempts, "backend", "node@flaky", "outcome", "unrecoverable").ShouldBe(0);
        failed.Value(Attempts, "backend", "node@flaky", "outcome", "timeout").ShouldBe(0);
        failed.Value(Attempts, "backend", "node@good", "outcome", "success").ShouldBe(1);
        failed.Find($"{Recovery}_count", "backend", "node@flaky").ShouldBeEmpty();
        failed.Value(StatsAge, "backend", "node@flaky").ShouldBeNull("never published stats");
        failed.Value(Budget, "backend", "node@flaky").ShouldBe(3);

        // Storage comes back: the probe (every 2 s of the fake clock) notices it.
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "up"), string.Empty, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Ready, "flaky recovers", () => server.Time.Advance(TimeSpan.FromMilliseconds(500)));
        var recoveredAfter = (flaky.Snapshot.Since - failedSince).TotalSeconds;

        var ready = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Value(State, "backend", "node@flaky", "state", "ready") == 1, "the state gauge flips");

        ready.Value(State, "backend", "node@flaky", "state", "failed").ShouldBe(0);
        ready.Value(Attempts, "backend", "node@flaky", "outcome", "success").ShouldBe(1);
        ready.Value(Attempts, "backend", "node@flaky", "outcome", "recoverable").ShouldBe(1);
        ready.Types[Recovery].ShouldBe("histogram");
        ready.Value($"{Recovery}_count", "backend", "node@flaky").ShouldBe(1);
        ready.Value($"{Recovery}_sum", "backend", "node@flaky")!.Value.ShouldBe(recoveredAfter, 0.001);
        recoveredAfter.ShouldBeInRange(2, 4);
        ready.Value($"{Recovery}_bucket", "backend", "node@flaky", "le", "2").ShouldBe(recoveredAfter <= 2 ? 1 : 0);
        ready.Value($"{Recovery}_bucket", "backend", "node@flaky", "le", "5").ShouldBe(1);
        ready.Value($"{Recovery}_bucket", "backend", "node@flaky", "le", "+Inf").ShouldBe(1);
        ready.Value(StatsAge, "backend", "node@flaky").ShouldBe(0);
        ready.Find($"{Recovery}_count", "backend", "node@good").ShouldBeEmpty("good never failed");
    }

    [Fact]
    public async Task Scrape_TransientFailuresSpendTheBudget_BudgetGaugeCountsDownToGaveUp()
    {
        await using var server = await TestServer.StartAsync("tired, forever", """
            [tired]
            volume_driver = fault
            fault_control_file = $DIR/transient.json
            reinit_driver_count = 2

            [forever]
            volume_driver = fault
            fault_control_file = $DIR/transient.json
            reinit_driver_count = 0
            """, dir => File.WriteAllText(Path.Combine(dir, "transient.json"), """{"init": "transient"}"""));
        var tired = server.Service<BackendCatalog>().Find("node@tired")!;
        await Wait.UntilAsync(() => tired.Snapshot.State == BackendState.Failed, "tired fails");

        var first = await PrometheusScrape.GetAsync(server.Client);
        first.Value(Budget, "backend", "node@tired").ShouldBe(2);
        first.Value(Budget, "backend", "node@forever").ShouldBe(-1);

        await Wait.UntilAsync(() => tired.Snapshot.State == BackendState.GaveUp, "tired gives up", () => server.Time.Advance(TimeSpan.FromSeconds(1)));
        var spent = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Value(State, "backend", "node@tired", "state", "gave_up") == 1, "gave_up shows");

        spent.Value(Budget, "backend", "node@tired").ShouldBe(0);
        spent.Value(Attempts, "backend", "node@tired", "outcome", "recoverable").ShouldBe(3);
        spent.Value(Budget, "backend", "node@forever").ShouldBe(-1);
        spent.Value(Attempts, "backend", "node@forever", "outcome", "recoverable")!.Value.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Scrape_ConfigurationError_CountsAnUnrecoverableAttempt()
    {
        await using var server = await TestServer.StartAsync("broken", """
            [broken]
            volume_driver = fault
            fault_control_file = $DIR/config.json
            """, dir => File.WriteAllText(Path.Combine(dir, "config.json"), """{"init": "config"}"""));
        var broken = server.Service<BackendCatalog>().Find("node@broken")!;
        await Wait.UntilAsync(() => broken.Snapshot.State == BackendState.Unrecoverable, "broken is unrecoverable");

        var scrape = await PrometheusScrape.GetAsync(server.Client);

        scrape.Value(State, "backend", "node@broken", "state", "unrecoverable").ShouldBe(1);
        scrape.Value(Attempts, "backend", "node@broken", "outcome", "unrecoverable").ShouldBe(1);
        scrape.Value(Attempts, "backend", "node@broken", "outcome", "recoverable").ShouldBe(0);
    }

    [Fact]
    public async Task Scrape_StatsAge_GrowsWithTheClockAndDropsAtEachPublish()
    {
        await using var server = await TestServer.StartAsync("good", """
            [good]
            volume_driver = fault
            backend_stats_polling_interval = 60
            """);
        var good = server.Service<BackendCatalog>().Find("node@good")!;
        await Wait.UntilAsync(() => good.Snapshot.State == BackendState.Ready, "good is ready");
        var published = good.Snapshot.StatsUpdatedAt!.Value;

        server.Time.Advance(TimeSpan.FromSeconds(45));
        var later = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Value(StatsAge, "backend", "node@good") > 0, "the age grows");

        later.Value(StatsAge, "backend", "node@good")!.Value.ShouldBe((server.Time.GetUtcNow() - published).TotalSeconds, 0.001);
        later.Value("kiln_backend_stats_polling_interval_seconds", "backend", "node@good").ShouldBe(60);

        await Wait.UntilAsync(() => good.Snapshot.StatsUpdatedAt > published, "the next publish", () => server.Time.Advance(TimeSpan.FromSeconds(5)));
        var republished = good.Snapshot.StatsUpdatedAt!.Value;
        var after = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Value(StatsAge, "backend", "node@good") < 45, "the age drops");

        after.Value(StatsAge, "backend", "node@good")!.Value.ShouldBe((server.Time.GetUtcNow() - republished).TotalSeconds, 0.001);
    }

    [Fact]
    public async Task Scrape_PoolCapacity_IsThePublishedStatsInBytes()
    {
        await using var server = await TestServer.StartAsync("good", """
            [good]
            volume_driver = fault
            fault_capacity_gb = 10
            """);
        var good = server.Service<BackendCatalog>().Find("node@good")!;
        await Wait.UntilAsync(() => good.Snapshot.State == BackendState.Ready, "good is ready");

        var scrape = await PrometheusScrape.GetAsync(server.Client);

        const double GiB = 1024d * 1024 * 1024;
        scrape.Value("kiln_pool_capacity_bytes", "backend", "node@good", "pool", "node@good#good", "kind", "total").ShouldBe(10 * GiB);
        scrape.Value("kiln_pool_capacity_bytes", "pool", "node@good#good", "kind", "free").ShouldBe(10 * GiB);
        scrape.Value("kiln_pool_capacity_bytes", "pool", "node@good#good", "kind", "allocated").ShouldBe(0);
        scrape.Value("kiln_pool_capacity_bytes", "pool", "node@good#good", "kind", "provisioned").ShouldBe(0);
    }

    [Fact]
    public async Task Scrape_AfterRequests_HasAspNetCoreRequestMetricsButNotForScrapes()
    {
        await using var server = await TestServer.StartAsync("good", "[good]\nvolume_driver = fault");
        (await server.Client.GetStringAsync("/healthz/live", TestContext.Current.CancellationToken)).ShouldBe("ok\n");
        await PrometheusScrape.GetAsync(server.Client);

        var scrape = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client),
            s => s.Find("http_server_request_duration_seconds_count", "http_route", "/healthz/live").Count > 0,
            "the request shows");

        scrape.Types["http_server_request_duration_seconds"].ShouldBe("histogram");
        scrape.Find("http_server_request_duration_seconds_count", "http_route", "/metrics").ShouldBeEmpty();
    }

    [Fact]
    public async Task Scrape_MoreSeriesThanTheDefaultCardinalityLimit_NoneIsFoldedIntoOverflow()
    {
        // 7 states x 300 backends = 2,100 series, above OpenTelemetry's default limit of 2,000 per instrument.
        var names = Enumerable.Range(0, 300).Select(i => $"b{i}").ToList();
        await using var server = await TestServer.StartAsync(
            string.Join(",", names), string.Join("\n", names.Select(n => $"[{n}]\nvolume_driver = fault\n")));
        var catalog = server.Service<BackendCatalog>();
        await Wait.UntilAsync(() => catalog.Hosts.All(h => h.Snapshot.State == BackendState.Ready), "every backend is ready");

        var scrape = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Find(State, "state", "ready").Sum(x => x.Value) == 300, "every backend shows ready");

        scrape.Find(State).Count.ShouldBe(300 * AllStates.Length);
        scrape.Find("kiln_volumes").Count.ShouldBe((300 + 1) * 7);
        scrape.Samples.ShouldNotContain(s => s.Labels.ContainsKey("otel_metric_overflow"));
    }

    [Fact]
    public async Task Scrape_TwoServersInOneProcess_EachShowsOnlyItsOwnBackends()
    {
        await using var one = await TestServer.StartAsync("alpha", "[alpha]\nvolume_driver = fault");
        await using var two = await TestServer.StartAsync("beta", "[beta]\nvolume_driver = fault");

        var scrape = await PrometheusScrape.GetAsync(one.Client);

        scrape.Find(State, "backend", "node@alpha").Count.ShouldBe(AllStates.Length);
        scrape.Find(State, "backend", "node@beta").ShouldBeEmpty();
    }
}
