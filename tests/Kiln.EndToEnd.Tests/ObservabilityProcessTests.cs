using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.EndToEnd.Tests;

/// <summary>
/// The real <c>kiln serve</c> as a monitoring system sees it: <c>/metrics</c> and <c>/healthz/ready</c>
/// through a fault backend's failure and recovery, and JSON logs.
/// </summary>
public sealed class ObservabilityProcessTests : IDisposable
{
    private const string Host = "ops-node";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-ops-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Serve_FaultBackendFailsThenRecovers_MetricsAndReadinessFollow()
    {
        var readyFile = Path.Combine(dir.FullName, "storage-ready");
        File.WriteAllText(Path.Combine(dir.FullName, "flaky.json"), JsonSerializer.Serialize(new { ready_file = readyFile }));
        var config = WriteConfig($"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = flaky

            [flaky]
            volume_driver = fault
            fault_control_file = {dir.FullName}/flaky.json
            """);
        await using var kiln = KilnProcess.Start(config, dir.FullName);
        using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
        await client.WaitForStateAsync($"{Host}@flaky", "failed", TimeSpan.FromSeconds(10));

        var failed = await PrometheusScrape.GetAsync(client.Http);
        failed.Value("kiln_backend_state", "backend", $"{Host}@flaky", "state", "failed").ShouldBe(1);
        failed.Value("kiln_backend_state", "backend", $"{Host}@flaky", "state", "ready").ShouldBe(0);
        failed.Value("kiln_backend_init_attempts_total", "backend", $"{Host}@flaky", "outcome", "recoverable").ShouldBe(1);
        failed.Value("kiln_backend_init_attempts_total", "backend", $"{Host}@flaky", "outcome", "success").ShouldBe(0);
        failed.Find("kiln_backend_recovery_duration_seconds_count").ShouldBeEmpty();
        failed.Value("kiln_backend_reinit_budget_remaining", "backend", $"{Host}@flaky").ShouldBe(3);
        var (notReady, notReadyBody) = await ReadyAsync(client);
        notReady.ShouldBe(HttpStatusCode.ServiceUnavailable);
        notReadyBody.GetProperty("backends").GetProperty($"{Host}@flaky").GetString().ShouldBe("failed");
        notReadyBody.GetProperty("reason").GetString().ShouldBe("no backend is ready or degraded");

        File.WriteAllText(readyFile, string.Empty);
        var recovered = await ScrapeUntilAsync(client, s => s.Value("kiln_backend_state", "backend", $"{Host}@flaky", "state", "ready") == 1);

        recovered.Value("kiln_backend_state", "backend", $"{Host}@flaky", "state", "failed").ShouldBe(0);
        recovered.Value("kiln_backend_init_attempts_total", "backend", $"{Host}@flaky", "outcome", "success").ShouldBe(1);
        recovered.Value("kiln_backend_init_attempts_total", "backend", $"{Host}@flaky", "outcome", "recoverable").ShouldBe(1, "the probe kept attempts from being spent");
        recovered.Value("kiln_backend_recovery_duration_seconds_count", "backend", $"{Host}@flaky").ShouldBe(1);
        recovered.Value("kiln_backend_recovery_duration_seconds_sum", "backend", $"{Host}@flaky")!.Value.ShouldBeInRange(0.001, 30);
        recovered.Value("kiln_backend_stats_age_seconds", "backend", $"{Host}@flaky")!.Value.ShouldBeLessThan(30);
        recovered.Value("kiln_pool_capacity_bytes", "pool", $"{Host}@flaky#flaky", "kind", "total").ShouldBe(1000d * 1024 * 1024 * 1024);
        var (ready, readyBody) = await ReadyAsync(client);
        ready.ShouldBe(HttpStatusCode.OK);
        readyBody.GetProperty("status").GetString().ShouldBe("ready");

        await kiln.TerminateAsync(TimeSpan.FromSeconds(10));
        kiln.ExitCode.ShouldBe(0);
        kiln.Output.ShouldNotContain("dbug:", customMessage: "debug is off by default");
    }

    [Fact]
    public async Task Serve_DebugTrue_WritesDebugLines()
    {
        File.WriteAllText(Path.Combine(dir.FullName, "flaky.json"), JsonSerializer.Serialize(new { ready_file = Path.Combine(dir.FullName, "never") }));
        var config = WriteConfig($"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = flaky
            debug = true

            [flaky]
            volume_driver = fault
            fault_control_file = {dir.FullName}/flaky.json
            """);
        await using var kiln = KilnProcess.Start(config, dir.FullName);
        await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));

        var started = Stopwatch.GetTimestamp();
        while (!kiln.Output.Contains($"dbug: Kiln.Backends[3] Backend {Host}@flaky: readiness probe says not ready", StringComparison.Ordinal))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), kiln.Output);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    [Theory]
    [InlineData("json", null)]
    [InlineData("text", "json")]
    public async Task Serve_JsonLogs_OneObjectPerLineWithTheTransitionFields(string configured, string? flag)
    {
        File.WriteAllText(Path.Combine(dir.FullName, "broken.json"), """{"init": "config"}""");
        var config = WriteConfig($"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = broken
            log_format = {configured}

            [broken]
            volume_driver = fault
            fault_control_file = {dir.FullName}/broken.json
            """);
        await using var kiln = KilnProcess.Start(config, dir.FullName, arguments: flag is null ? null : ["--log-format", flag]);
        using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
        await client.WaitForStateAsync($"{Host}@broken", "unrecoverable", TimeSpan.FromSeconds(10));
        await kiln.TerminateAsync(TimeSpan.FromSeconds(10));

        var lines = kiln.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBeGreaterThan(3);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        entries.ShouldAllBe(e => e.GetProperty("Timestamp").GetString()!.EndsWith('Z'));
        var transition = entries.Single(e => e.GetProperty("Category").GetString() == "Kiln.Backends" && e.GetProperty("EventId").GetInt32() == 9);
        transition.GetProperty("LogLevel").GetString().ShouldBe("Error");
        var state = transition.GetProperty("State");
        state.GetProperty("Backend").GetString().ShouldBe($"{Host}@broken");
        state.GetProperty("OldState").GetString().ShouldBe("initializing");
        state.GetProperty("NewState").GetString().ShouldBe("unrecoverable");
        state.GetProperty("ErrorClass").GetString().ShouldBe("DriverConfigurationException");
        state.GetProperty("ErrorMessage").GetString()!.ShouldContain("init=config");
        transition.GetProperty("Message").GetString()!.ShouldContain("initializing -> unrecoverable");
    }

    [Fact]
    public async Task Serve_UnknownLogFormat_IsRefused()
    {
        await using var kiln = KilnProcess.Start(null, dir.FullName, arguments: ["--log-format", "xml"]);

        await Should.ThrowAsync<InvalidOperationException>(() => kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));

        kiln.ExitCode.ShouldNotBe(0);
        kiln.Output.ShouldContain("'xml'");
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(KilnClient client, Func<PrometheusScrape, bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var scrape = await PrometheusScrape.GetAsync(client.Http);
            if (condition(scrape))
            {
                return scrape;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "the metrics did not change in time");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(KilnClient client)
    {
        using var response = await client.Http.GetAsync("/healthz/ready");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private string WriteConfig(string text)
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
