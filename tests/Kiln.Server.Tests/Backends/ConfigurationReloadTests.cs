using System.Diagnostics;
using System.Net;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Backends;

/// <summary>
/// kiln.conf read again: a manual re-initialization uses the backend's section as it is now, and a
/// reload (SIGHUP) re-initializes exactly the backends whose sections changed.
/// </summary>
public sealed class ConfigurationReloadTests
{
    private const string A = """
        [a]
        volume_driver = fault
        fault_control_file = $DIR/a.json
        """;

    private const string B = """
        [b]
        volume_driver = fault
        fault_control_file = $DIR/b.json
        """;

    [Fact]
    public async Task Reload_OneSectionChanged_ReinitializesOnlyThatBackendAndNamesTheOptionNotItsValue()
    {
        var logs = new LogRecorder();
        await using var server = await StartAsync(logs, "a, b", A + "\n\n" + B);
        var a = Backend(server, "a");
        var b = Backend(server, "b");
        var (aDriver, bDriver) = (a.Driver, b.Driver);

        await WriteConfAsync(server, "a, b", A + "\n\n" + B.Replace("b.json", "secret-b.json", StringComparison.Ordinal) + "\nfault_capacity_gb = 5");
        var reinitialized = server.Service<BackendCatalog>().Reload();

        reinitialized.ShouldBe(["node@b"]);
        await WaitForNewDriverAsync(b, bDriver);
        b.Snapshot.Stats!.Pools[0].TotalCapacityGb.ShouldBe(5);
        a.Driver.ShouldBeSameAs(aDriver);
        a.Snapshot.State.ShouldBe(BackendState.Ready);
        var changed = logs.WithId(1811).ShouldHaveSingleItem().Message;
        changed.ShouldContain("node@b");
        changed.ShouldContain("fault_capacity_gb, fault_control_file");
        logs.Lines.ShouldNotContain(l => l.Message.Contains("secret-b", StringComparison.Ordinal));
        logs.WithId(1810).ShouldHaveSingleItem().Message.ShouldContain("unchanged: node@a");
    }

    [Fact]
    public async Task ManualReinit_SectionFixedInTheFile_UsesTheSectionAsItIsNow()
    {
        await using var server = await StartAsync(new LogRecorder(), "a, b", A + "\n\n" + B.Replace("volume_driver = fault", "volume_driver = faultt", StringComparison.Ordinal));
        var b = Backend(server, "b");
        await VolumeApi.WaitForBackendAsync(server, "node@b", BackendState.Unrecoverable);
        b.Snapshot.ErrorMessage!.ShouldContain("volume_driver = 'faultt'");

        await WriteConfAsync(server, "a, b", A + "\n\n" + B);
        await VolumeApi.CallAsync(server, HttpMethod.Put, "os-services/reinit", """{"host": "node@b"}""", HttpStatusCode.Accepted);

        await VolumeApi.WaitForBackendAsync(server, "node@b", BackendState.Ready);
    }

    [Fact]
    public async Task ManualReinit_SectionNowInvalid_IsTheAttemptsConfigurationError()
    {
        await using var server = await StartAsync(new LogRecorder(), "a, b", A + "\n\n" + B);
        var b = Backend(server, "b");

        await WriteConfAsync(server, "a, b", A + "\n\n" + B + "\nreinit_driver_count = -1");
        await VolumeApi.CallAsync(server, HttpMethod.Put, "os-services/reinit", """{"host": "node@b"}""", HttpStatusCode.Accepted);

        await VolumeApi.WaitForBackendAsync(server, "node@b", BackendState.Unrecoverable);
        b.Snapshot.ErrorClass.ShouldBe(nameof(DriverConfigurationException));
        b.Snapshot.ErrorMessage.ShouldBe("[b] reinit_driver_count = '-1' is invalid: expected an integer >= 0");
        Backend(server, "a").Snapshot.State.ShouldBe(BackendState.Ready);
    }

    [Fact]
    public async Task Reload_FileNoLongerValid_ChangesNothingAndSaysWhy()
    {
        var logs = new LogRecorder();
        await using var server = await StartAsync(logs, "a, b", A + "\n\n" + B);
        var (aDriver, bDriver) = (Backend(server, "a").Driver, Backend(server, "b").Driver);

        await WriteConfAsync(server, "a, b", A + "\n\n" + B, defaults: "reinit_driver_count = -1");
        var reinitialized = server.Service<BackendCatalog>().Reload();

        reinitialized.ShouldBeEmpty();
        logs.WithId(1814).ShouldHaveSingleItem().Message.ShouldContain("reinit_driver_count = '-1' is invalid");
        Backend(server, "a").Driver.ShouldBeSameAs(aDriver);
        Backend(server, "b").Driver.ShouldBeSameAs(bDriver);
    }

    [Fact]
    public async Task Reload_InheritedLifecycleOptionChanged_ReinitializesEveryBackendThatInheritsIt()
    {
        await using var server = await StartAsync(new LogRecorder(), "a, b", A + "\n\n" + B + "\ndriver_stats_timeout = 5");

        await WriteConfAsync(server, "a, b", A + "\n\n" + B + "\ndriver_stats_timeout = 5", defaults: "driver_stats_timeout = 9");
        var reinitialized = server.Service<BackendCatalog>().Reload();

        reinitialized.ShouldBe(["node@a"]);
        await VolumeApi.WaitForBackendAsync(server, "node@a", BackendState.Ready);
        var started = Stopwatch.GetTimestamp();
        while (Backend(server, "a").Options.DriverStatsTimeout != TimeSpan.FromSeconds(9))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Reload_BackendAddedOrRemoved_LogsThatItTakesARestartAndLeavesTheRunningOne()
    {
        var logs = new LogRecorder();
        await using var server = await StartAsync(logs, "a, b", A + "\n\n" + B);
        var bDriver = Backend(server, "b").Driver;

        await WriteConfAsync(server, "a, c", A + "\n\n" + B.Replace("[b]", "[c]", StringComparison.Ordinal));
        var reinitialized = server.Service<BackendCatalog>().Reload();

        reinitialized.ShouldBeEmpty();
        logs.WithId(1812).ShouldHaveSingleItem().Message.ShouldContain("node@c");
        logs.WithId(1813).ShouldHaveSingleItem().Message.ShouldContain("node@b");
        logs.WithId(1813)[0].Level.ShouldBe(LogLevel.Warning);
        Backend(server, "b").Driver.ShouldBeSameAs(bDriver);
        server.Service<BackendCatalog>().Find("node@c").ShouldBeNull();
    }

    private static BackendHost Backend(TestServer server, string name) => server.Service<BackendCatalog>().Find($"node@{name}")!;

    private static async Task<TestServer> StartAsync(LogRecorder logs, string enabled, string sections)
    {
        var server = await TestServer.StartAsync(enabled, sections, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        foreach (var name in enabled.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!sections.Contains("faultt", StringComparison.Ordinal) || name != "b")
            {
                await VolumeApi.WaitForBackendAsync(server, $"node@{name}", BackendState.Ready);
            }
        }

        return server;
    }

    // The same [DEFAULT] as TestServer writes, so only what a test changes differs.
    private static Task WriteConfAsync(TestServer server, string enabled, string sections, string defaults = "") =>
        File.WriteAllTextAsync(Path.Combine(server.Directory, "kiln.conf"), $"""
            [DEFAULT]
            host = node
            state_path = {server.Directory}/data
            osapi_volume_listen_port = 0
            enabled_backends = {enabled}
            {defaults}

            {sections.Replace("$DIR", server.Directory, StringComparison.Ordinal)}
            """, TestContext.Current.CancellationToken);

    private static async Task WaitForNewDriverAsync(BackendHost backend, object? before)
    {
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != BackendState.Ready || ReferenceEquals(backend.Driver, before))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{backend.Host} stays {backend.Snapshot.State}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
