using Kiln.Server.Persistence;
using Kiln.Server.Telemetry;
using Kiln.Server.Tests.Api;
using Kiln.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Tests.Telemetry;

/// <summary><c>kiln_volumes</c>: counts per pool and status, from a cache that queries the database at most every 5 s.</summary>
public sealed class VolumeMetricsTests
{
    private const string Volumes = "kiln_volumes";

    [Fact]
    public async Task Scrape_VolumeCreated_CountedAfterTheCacheIsDue()
    {
        await using var server = await VolumeApi.StartAsync();
        var before = await PrometheusScrape.GetAsync(server.Client);
        before.Value(Volumes, "pool", "node@fast#fast", "status", "available").ShouldBe(0);
        before.Find(Volumes, "pool", "node@fast#fast").Count.ShouldBe(7, "every status of the pool, at 0 when empty");
        before.Find(Volumes, "pool", "node@fast#fast")[0].Labels["backend"].ShouldBe("node@fast");

        await VolumeApi.CreateVolumeAsync(server, size: 2);
        var cached = await PrometheusScrape.GetAsync(server.Client);
        cached.Value(Volumes, "pool", "node@fast#fast", "status", "available").ShouldBe(0, "counted less than 5 s ago");

        server.Time.Advance(VolumeCountCache.RefreshInterval);
        var after = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client), s => s.Value(Volumes, "pool", "node@fast#fast", "status", "available") == 1, "the volume is counted");

        after.Value(Volumes, "pool", "node@fast#fast", "status", "creating").ShouldBe(0);
        after.Find(Volumes).Where(s => !s.Labels.ContainsKey("pool")).Select(s => s.Value).ShouldAllBe(v => v == 0);
    }

    [Fact]
    public async Task Scrape_FirstAfterALongIdle_ReportsTheCurrentCounts()
    {
        await using var server = await VolumeApi.StartAsync();
        (await PrometheusScrape.GetAsync(server.Client)).Value(Volumes, "pool", "node@fast#fast", "status", "available").ShouldBe(0);
        // The count that first scrape started is done before the volume exists (on the test's frozen clock a
        // count still running ten "minutes" later would be one from before the create).
        await server.Service<VolumeCountCache>().WhenRefreshedAsync();
        await VolumeApi.CreateVolumeAsync(server, size: 2);

        // Nothing scraped for ten minutes: the counts of the last scrape are no answer any more.
        server.Time.Advance(TimeSpan.FromMinutes(10));

        // The Prometheus exporter answers a scrape within 300 ms (real time) of the last one from its own cache.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scrape = await PrometheusScrape.GetAsync(server.Client);
        clock.Stop();

        // The scrape waits for the fresh counts, up to ScrapeWait: on a machine too busy to count in that
        // time it reports the last ones, but only after waiting (before the fix it answered at once).
        if (scrape.Value(Volumes, "pool", "node@fast#fast", "status", "available") != 1)
        {
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(VolumeCountCache.ScrapeWait - TimeSpan.FromMilliseconds(50), "stale counts served without waiting for fresh ones");
        }
    }

    [Fact]
    public async Task Scrape_VolumeWithNoValidBackend_CountedWithoutPoolLabels()
    {
        // Larger than any backend, and unlimited gigabytes so that the quota does not refuse it first.
        await using var server = await TestServer.StartAsync("fast", VolumeApi.OneBackend, defaults: "quota_gigabytes = -1");
        await VolumeApi.WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        using (var response = await VolumeApi.SendAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 100000}}"""))
        {
            response.IsSuccessStatusCode.ShouldBeTrue();
        }

        server.Time.Advance(VolumeCountCache.RefreshInterval);
        var scrape = await Wait.ForAsync(
            () => PrometheusScrape.GetAsync(server.Client),
            s => s.Find(Volumes, "status", "error").Any(x => !x.Labels.ContainsKey("pool") && x.Value == 1),
            "the unplaced volume is counted",
            () => server.Time.Advance(VolumeCountCache.RefreshInterval));

        scrape.Value(Volumes, "pool", "node@fast#fast", "status", "error").ShouldBe(0);
    }

    [Fact]
    public async Task Read_BurstOfScrapes_QueriesTheDatabaseAtMostOncePerInterval()
    {
        var counting = new CountingVolumeCounts();
        await using var server = await TestServer.StartAsync("fast", "[fast]\nvolume_driver = fault", configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton<IVolumeCounts>(sp =>
            {
                counting.Inner = ActivatorUtilities.CreateInstance<EfVolumeCounts>(sp);
                return counting;
            })));
        var cache = server.Service<VolumeCountCache>();
        counting.Calls.ShouldBe(1, "the warm-up at start");

        for (var i = 0; i < 100; i++)
        {
            cache.Read();
            await PrometheusScrape.GetAsync(server.Client);
        }

        counting.Calls.ShouldBe(1);

        server.Time.Advance(VolumeCountCache.RefreshInterval);
        for (var i = 0; i < 100; i++)
        {
            cache.Read();
        }

        await cache.WhenRefreshedAsync();
        counting.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task Read_QueryFails_KeepsTheLastCountsAndRetriesAfterTheInterval()
    {
        var counting = new CountingVolumeCounts();
        await using var server = await TestServer.StartAsync("fast", "[fast]\nvolume_driver = fault", configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton<IVolumeCounts>(counting)));
        var cache = server.Service<VolumeCountCache>();
        var first = cache.Read();
        first[new VolumeCountKey("node@fast", "node@fast#fast", "available")].ShouldBe(3);

        counting.Fail = true;
        server.Time.Advance(VolumeCountCache.RefreshInterval);
        cache.Read();
        await cache.WhenRefreshedAsync();

        cache.Read().ShouldBeSameAs(first);
        counting.Calls.ShouldBe(2);
        for (var i = 0; i < 10; i++)
        {
            cache.Read();
        }

        await cache.WhenRefreshedAsync();
        counting.Calls.ShouldBe(2, "a failing database is not retried before the interval");
    }

    [Fact]
    public async Task Read_OtherNodesPools_AreLeftToThoseNodes()
    {
        var counting = new CountingVolumeCounts();
        await using var server = await TestServer.StartAsync("fast", "[fast]\nvolume_driver = fault", configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton<IVolumeCounts>(counting)));

        var counts = server.Service<VolumeCountCache>().Read();

        counts.Keys.ShouldBe(
            [new VolumeCountKey("node@fast", "node@fast#fast", "available"), new VolumeCountKey(null, null, "error")], ignoreOrder: true);
        counts[new VolumeCountKey(null, null, "error")].ShouldBe(1);
    }

    private sealed class CountingVolumeCounts : IVolumeCounts
    {
        private int calls;

        public EfVolumeCounts? Inner { get; set; }

        public bool Fail { get; set; }

        public int Calls => Volatile.Read(ref calls);

        public Task<IReadOnlyList<VolumeCount>> CountByHostAndStatusAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            if (Fail)
            {
                throw new InvalidOperationException("database gone");
            }

            return Inner?.CountByHostAndStatusAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<VolumeCount>>(
            [
                new("node@fast#fast", "available", 3),
                new("other@fast#fast", "available", 5),
                new("node@elsewhere#p", "available", 7),
                new(null, "error", 1),
            ]);
        }
    }
}
