using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Tests.Shared;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// A test driver (tests' kiln_test_drivers.py, a subclass of Cinder's VolumeDriver) whose setup fails in each way
/// the taxonomy names, hangs, crashes its process or waits for its storage: each backend ends in the state
/// DESIGN's taxonomy says after the right number of attempts, and <c>fast</c> (another driver) stays ready.
/// </summary>
public sealed class CinderDriverTaxonomyTests(CinderTaxonomyServer fixture) : IClassFixture<CinderTaxonomyServer>
{
    [Theory]
    [InlineData("config", "DriverConfigurationException", "cinder.exception.InvalidConfigurationValue", 1)]
    [InlineData("badvalue", "DriverConfigurationException", "oslo_config.cfg.ConfigFileValueError", 0)]
    [InlineData("missing", "DriverDependencyException", "ModuleNotFoundError: No module named 'kiln_no_such_module'", 0)]
    [InlineData("unsupported", "DriverNotSupportedException", "enable_unsupported_driver = True", 0)]
    public async Task Setup_UnrecoverableKind_UnrecoverableAfterOneAttemptAndNeverRetried(string backend, string errorClass, string message, int setups)
    {
        var server = fixture.Server;

        var failed = await CinderHost.WaitForAsync(server, backend, s => s.State is not BackendState.Initializing);

        failed.State.ShouldBe(BackendState.Unrecoverable, failed.ErrorText);
        failed.ErrorClass.ShouldBe(errorClass);
        failed.ErrorMessage.ShouldNotBeNull().ShouldContain(message);
        CinderHost.Pids(server, backend, "do_setup").Length.ShouldBe(setups);

        // Time passes, five times the longest backoff: nothing is retried.
        for (var i = 0; i < 10; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var later = CinderHost.Backend(server, backend).Snapshot;
        later.State.ShouldBe(BackendState.Unrecoverable);
        later.ReinitAttempts.ShouldBe(0);
        CinderHost.Pids(server, backend, "do_setup").Length.ShouldBe(setups);
        AssertFastUnaffected();
    }

    [Fact]
    public async Task Setup_ProcessExits_RecoverableEachAttemptInAFreshProcessThenGivesUp()
    {
        var server = fixture.Server;

        var gaveUp = await CinderHost.WaitForAsync(server, "crash", s => s.State == BackendState.GaveUp, s => s.State == BackendState.Failed);

        gaveUp.ReinitAttempts.ShouldBe(1);
        gaveUp.ErrorClass.ShouldBe("DriverException");
        gaveUp.ErrorMessage.ShouldNotBeNull().ShouldContain("exited with code 3");
        var pids = CinderHost.Pids(server, "crash", "do_setup");
        pids.Length.ShouldBe(2);
        pids.Distinct().Count().ShouldBe(2);
        AssertFastUnaffected();
    }

    [Fact]
    public async Task Setup_StorageReadyLater_RetriedWithBackoffUntilReady()
    {
        var server = fixture.Server;

        // An attempt meets storage that is not there yet (VolumeBackendAPIException: recoverable).
        var failed = await CinderHost.WaitForAsync(server, "flaky", s => s.State == BackendState.Failed);
        failed.ErrorClass.ShouldBe("DriverException");
        failed.ErrorMessage.ShouldNotBeNull().ShouldContain("cinder.exception.VolumeBackendAPIException");
        failed.ErrorMessage.ShouldContain("storage not reachable yet");

        await File.WriteAllTextAsync(Path.Combine(server.Directory, "flaky.ready"), string.Empty, TestContext.Current.CancellationToken);
        var ready = await CinderHost.WaitForAsync(server, "flaky", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);

        ready.ErrorClass.ShouldBeNull();
        var pids = CinderHost.Pids(server, "flaky", "do_setup");
        pids.Length.ShouldBeGreaterThanOrEqualTo(2);
        pids.Distinct().Count().ShouldBe(pids.Length);
        AssertFastUnaffected();
    }

    [Fact]
    public async Task ReadyDriver_UnsupportedButAllowed_CreateAndExtend_ProviderLocationStoredAndExtendServedByTheHost()
    {
        var server = fixture.Server;
        await CinderHost.WaitForAsync(server, "ok", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);
        await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "on-ok", "extra_specs": {"volume_backend_name": "ok"}}}""", HttpStatusCode.OK);

        var id = await CreateVolumeAsync(server, type: "on-ok");
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 3}}""", HttpStatusCode.Accepted);
        var extended = await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{id}", "volume", "available");

        extended.GetProperty("size").GetInt32().ShouldBe(3);
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@ok#ok");
        var stored = await server.Service<IVolumeRepository>().FindAsync(id, TestContext.Current.CancellationToken);
        stored.ShouldNotBeNull().ProviderLocation.ShouldBe($"kiln-test:{id}");
        CinderHost.Calls(server, "ok").ShouldContain(l => l.EndsWith($" extend_volume {id} 3", StringComparison.Ordinal));
        AssertFastUnaffected();
    }

    [Fact]
    public async Task Metrics_ReadyDriver_HostProcessMemoryAndCpuPerBackend()
    {
        var server = fixture.Server;
        await CinderHost.WaitForAsync(server, "ok", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);
        var pid = CinderHost.Pids(server, "ok", "do_setup")[^1].ToString(System.Globalization.CultureInfo.InvariantCulture);

        var scrape = await PrometheusScrape.GetAsync(server.Client);

        scrape.Value("kiln_driver_host_memory_bytes", "backend", "node@ok", "pid", pid).ShouldNotBeNull().ShouldBeGreaterThan(10_000_000);
        scrape.Value("kiln_driver_host_cpu_seconds_total", "backend", "node@ok", "pid", pid).ShouldNotBeNull().ShouldBeGreaterThan(0);
        scrape.Find("kiln_driver_host_memory_bytes", "backend", "node@fast").ShouldBeEmpty();
    }

    private void AssertFastUnaffected()
    {
        CinderHost.Backend(fixture.Server, "fast").Snapshot.State.ShouldBe(BackendState.Ready);
        fixture.FastChangesAfterReady.ShouldBeEmpty();
    }
}
