using System.Diagnostics;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// cinder.conf's [DEFAULT] and [backend_defaults] reach an upstream driver as under cinder-volume: the test driver
/// (kiln_test_drivers.ConfigReportingDriver) appends what its <c>self.configuration</c> and <c>CONF</c> show at every
/// <c>do_setup</c> to <c>&lt;backend&gt;.seen</c>. <c>inherit</c> sets nothing itself, <c>own</c> overrides the shared
/// option; <c>fast</c> is Kiln's fault driver, which a change of [backend_defaults] must leave alone.
/// </summary>
public sealed class CinderSharedConfigurationTests(CinderSharedConfigurationTests.SharedConfigurationServer fixture) : IClassFixture<CinderSharedConfigurationTests.SharedConfigurationServer>
{
    private const string Enabled = "fast,inherit,own";

    // TestServer's [DEFAULT] plus these: Kiln's own options (lifecycle, ready_requires_backend), a Cinder global (my_ip)
    // and one neither knows.
    private const string Defaults = """
        reinit_backoff_initial = 1
        reinit_backoff_max = 2
        driver_init_timeout = 86400
        ready_requires_backend = false
        my_ip = 192.0.2.10
        kiln_test_unheard = 1
        """;

    private const string Sections = """
        [backend_defaults]
        kiln_test_shared = from-defaults
        kiln_test_dir = $DIR

        [oslo_concurrency]
        lock_path = $DIR/locks

        [database]
        max_pool_size = 5

        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json

        [inherit]
        volume_driver = kiln_test_drivers.ConfigReportingDriver

        [own]
        volume_driver = kiln_test_drivers.ConfigReportingDriver
        kiln_test_shared = from-section
        """;

    [Fact]
    public async Task Load_BackendDefaultsAndDefault_ReachTheDriverWithCindersPrecedence()
    {
        var server = fixture.Server;
        await CinderHost.WaitForAsync(server, "inherit", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);
        await CinderHost.WaitForAsync(server, "own", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);

        var inherit = Seen(server, "inherit")[0];
        var own = Seen(server, "own")[0];

        // Section > [backend_defaults] > the option's default, as cinder.volume.configuration resolves it.
        inherit.GetProperty("kiln_test_shared").GetString().ShouldBe("from-defaults");
        own.GetProperty("kiln_test_shared").GetString().ShouldBe("from-section");
        foreach (var seen in new[] { inherit, own })
        {
            // [DEFAULT] globals reach CONF; host and state_path are Kiln's; other sections Cinder's libraries read, too.
            seen.GetProperty("my_ip").GetString().ShouldBe("192.0.2.10");
            seen.GetProperty("host").GetString().ShouldBe("node");
            seen.GetProperty("state_path").GetString().ShouldBe(Path.Combine(server.Directory, "data"));
            seen.GetProperty("lock_path").GetString().ShouldBe(Path.Combine(server.Directory, "locks"));

            // As cinder-volume's service starts it: the coordinator behind coordination.synchronized, on $state_path.
            seen.GetProperty("coordination_started").GetBoolean().ShouldBeTrue();
            seen.GetProperty("coordination_url").GetString().ShouldBe($"file://{server.Directory}/data");

            // Kiln's own options and sections stay Kiln's: not sent, so they cannot clash with a Cinder option.
            var keys = seen.GetProperty("default_keys").EnumerateArray().Select(k => k.GetString()).ToArray();
            keys.ShouldContain("kiln_test_unheard");
            keys.ShouldNotContain("reinit_backoff_initial");
            keys.ShouldNotContain("driver_init_timeout");
            keys.ShouldNotContain("ready_requires_backend");
            keys.ShouldNotContain("osapi_volume_listen_port");
            seen.GetProperty("sections").EnumerateArray().Select(k => k.GetString()).ShouldNotContain("database");
            seen.GetProperty("sections").EnumerateArray().Select(k => k.GetString()).ShouldNotContain("fast");
        }

        // An option neither Kiln nor Cinder registers is reported by the host as it reports unknown section options.
        fixture.Logs.WithId(2401).ShouldContain(l => l.Message.Contains("node@inherit", StringComparison.Ordinal)
            && l.Message.Contains("[DEFAULT] kiln_test_unheard is not an option of Kiln, of Cinder or of kiln_test_drivers.ConfigReportingDriver", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_BackendDefaultsChanged_ReinitializesEveryCinderBackendWithTheNewValue()
    {
        var server = fixture.Server;
        var catalog = server.Service<BackendCatalog>();
        await CinderHost.WaitForAsync(server, "inherit", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);
        await CinderHost.WaitForAsync(server, "own", s => s.State == BackendState.Ready, s => s.State == BackendState.Failed);
        var fastDriver = catalog.Find("node@fast")!.Driver;
        var (inheritBefore, ownBefore) = (Seen(server, "inherit").Length, Seen(server, "own").Length);

        await File.WriteAllTextAsync(Path.Combine(server.Directory, "kiln.conf"), $"""
            [DEFAULT]
            host = node
            state_path = {server.Directory}/data
            osapi_volume_listen_port = 0
            enabled_backends = {Enabled}
            {Defaults}

            {Sections.Replace("from-defaults", "changed", StringComparison.Ordinal).Replace("$DIR", server.Directory, StringComparison.Ordinal)}
            """, TestContext.Current.CancellationToken);
        var reinitialized = catalog.Reload();

        reinitialized.ShouldBe(["node@inherit", "node@own"], ignoreOrder: true);
        fixture.Logs.WithId(1811).ShouldContain(l => l.Message.Contains("node@inherit", StringComparison.Ordinal) && l.Message.Contains("[backend_defaults] kiln_test_shared", StringComparison.Ordinal));
        var inherit = await WaitForSeenAsync(server, "inherit", inheritBefore);
        var own = await WaitForSeenAsync(server, "own", ownBefore);
        inherit.GetProperty("kiln_test_shared").GetString().ShouldBe("changed");
        own.GetProperty("kiln_test_shared").GetString().ShouldBe("from-section");
        catalog.Find("node@fast")!.Driver.ShouldBeSameAs(fastDriver);
    }

    private static JsonElement[] Seen(TestServer server, string backend)
    {
        var path = Path.Combine(server.Directory, $"{backend}.seen");
        return File.Exists(path) ? [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)] : [];
    }

    // The report of the first do_setup after the first `before` ones, once that attempt made the backend ready.
    private static async Task<JsonElement> WaitForSeenAsync(TestServer server, string backend, int before)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var seen = Seen(server, backend);
            if (seen.Length > before && CinderHost.Backend(server, backend).Snapshot.State == BackendState.Ready)
            {
                return seen[before];
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(CinderHost.Patience, $"node@{backend} did not re-initialize ({CinderHost.Backend(server, backend).Snapshot.State})");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>One Kiln for both tests: two upstream test-driver backends and Kiln's fault driver.</summary>
    public sealed class SharedConfigurationServer : IAsyncLifetime
    {
        internal TestServer Server { get; private set; } = null!;

        internal LogRecorder Logs { get; } = new();

        public async ValueTask InitializeAsync()
        {
            CinderHost.Prepare();
            Server = await TestServer.StartAsync(Enabled, Sections, defaults: Defaults, configureServices: s => s.AddSingleton<ILoggerProvider>(Logs), waitForDatabase: false);
        }

        public async ValueTask DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }
}
