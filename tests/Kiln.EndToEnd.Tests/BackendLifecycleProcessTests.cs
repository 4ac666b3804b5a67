using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>The real <c>kiln serve</c> with fault backends, checked over HTTP (issue: foundation and lifecycle).</summary>
public sealed class BackendLifecycleProcessTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-e2e-");
    private readonly string host = "e2e-node";

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Serve_ThreeFaultBackends_HealthyStaysReadyTransientRecoversConfigNeedsOperator()
    {
        var readyFile = Path.Combine(dir.FullName, "storage-ready");
        var configControl = Path.Combine(dir.FullName, "config-control.json");
        var configCalls = Path.Combine(dir.FullName, "config-calls.log");
        File.WriteAllText(Path.Combine(dir.FullName, "transient-control.json"), JsonSerializer.Serialize(new { ready_file = readyFile }));
        File.WriteAllText(configControl, """{"init": "config"}""");
        var config = WriteConfig($"""
            [DEFAULT]
            host = {host}
            state_path = {dir.FullName}/data
            enabled_backends = healthy, transient, broken
            report_interval = 1
            service_down_time = 5

            [healthy]
            volume_driver = fault

            [transient]
            volume_driver = fault
            fault_control_file = {dir.FullName}/transient-control.json

            [broken]
            volume_driver = fault
            fault_control_file = {configControl}
            fault_call_log = {configCalls}
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);

        await client.WaitForStateAsync($"{host}@healthy", "ready", TimeSpan.FromSeconds(10));
        await client.WaitForStateAsync($"{host}@transient", "failed", TimeSpan.FromSeconds(10));
        await client.WaitForStateAsync($"{host}@broken", "unrecoverable", TimeSpan.FromSeconds(10));

        var transient = await client.BackendAsync($"{host}@transient");
        transient.GetProperty("driver_error").GetString()!.ShouldContain("ready file");
        transient.GetProperty("backend_state").GetString().ShouldBe("down");
        transient.GetProperty("reinit_next_at").ValueKind.ShouldBe(JsonValueKind.String);
        transient.GetProperty("reinit_budget").GetInt32().ShouldBe(3);
        transient.GetProperty("state").GetString().ShouldBe("up");
        var broken = await client.BackendAsync($"{host}@broken");
        broken.GetProperty("driver_error").GetString()!.ShouldStartWith("DriverConfigurationException:");
        broken.GetProperty("reinit_next_at").ValueKind.ShouldBe(JsonValueKind.Null);

        // Storage becomes reachable: the probe (every 2 s by default) notices well before the 10 s backoff.
        File.WriteAllText(readyFile, "");
        var recovered = Stopwatch.GetTimestamp();
        await client.WaitForStateAsync($"{host}@transient", "ready", TimeSpan.FromSeconds(5));
        Stopwatch.GetElapsedTime(recovered).ShouldBeLessThan(TimeSpan.FromSeconds(5));

        (await client.StateAsync($"{host}@healthy")).ShouldBe("ready");
        (await client.BackendAsync($"{host}@healthy")).GetProperty("backend_state").GetString().ShouldBe("up");

        // The configuration error was attempted exactly once, however long we waited.
        SetupCalls(configCalls).ShouldBe(1);
        (await client.StateAsync($"{host}@broken")).ShouldBe("unrecoverable");

        // The operator fixes the cause and asks for a re-init.
        File.WriteAllText(configControl, """{"init": "ok"}""");
        using (var response = await client.ReinitAsync($"{host}@broken"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await client.WaitForStateAsync($"{host}@broken", "ready", TimeSpan.FromSeconds(5));
        SetupCalls(configCalls).ShouldBe(2);
        (await client.StateAsync($"{host}@healthy")).ShouldBe("ready");

        var stopped = await kiln.TerminateAsync(TimeSpan.FromSeconds(10));
        stopped.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        kiln.ExitCode.ShouldBe(0);
        kiln.Output.ShouldContain("initializing -> unrecoverable");
    }

    [Fact]
    public async Task Serve_BackendInitHangs_ApiAnswersAtOnceAndSigtermStopsPromptly()
    {
        File.WriteAllText(Path.Combine(dir.FullName, "hang.json"), """{"init": "hang"}""");
        var config = WriteConfig($"""
            [DEFAULT]
            host = {host}
            state_path = {dir.FullName}/data
            enabled_backends = stuck, fine

            [stuck]
            volume_driver = fault
            fault_control_file = {dir.FullName}/hang.json

            [fine]
            volume_driver = fault
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        var sinceStart = Stopwatch.GetElapsedTime(kiln.StartedAt);
        using var client = new KilnClient(address);

        (await client.Http.GetStringAsync("/healthz/live")).ShouldBe("ok\n");
        await client.WaitForStateAsync($"{host}@fine", "ready", TimeSpan.FromSeconds(10));
        (await client.StateAsync($"{host}@stuck")).ShouldBe("initializing");
        using (var refused = await client.ReinitAsync($"{host}@stuck"))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("conflictingRequest");
        }

        var stopped = await kiln.TerminateAsync(TimeSpan.FromSeconds(15));

        stopped.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        kiln.ExitCode.ShouldBe(0);
        sinceStart.ShouldBeLessThan(TimeSpan.FromSeconds(5), "process start to listening (includes runtime start-up)");
    }

    [Fact]
    public async Task Serve_NegativeReinitDriverCount_RefusesToStartWithOneLine()
    {
        var config = WriteConfig("""
            [DEFAULT]
            reinit_driver_count = -1
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        await Should.ThrowAsync<InvalidOperationException>(() => kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));

        kiln.ExitCode.ShouldBe(2);
        kiln.Output.ShouldContain("reinit_driver_count");
        kiln.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Serve_DatabaseCannotBeOpened_ExitsWithCode2AndOneCannotStartLine()
    {
        // The database file's place is taken by a directory: SQLite cannot open it.
        Directory.CreateDirectory(Path.Combine(dir.FullName, "data", "kiln.db"));
        var config = WriteConfig($"""
            [DEFAULT]
            host = {host}
            state_path = {dir.FullName}/data
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        await kiln.WaitForExitAsync(TimeSpan.FromSeconds(30));

        kiln.ExitCode.ShouldBe(2);
        kiln.Output.Split('\n').Where(line => line.StartsWith("kiln: ", StringComparison.Ordinal))
            .ShouldHaveSingleItem().ShouldStartWith("kiln: cannot start: database start-up failed: ");
    }

    [Fact]
    public async Task Serve_NoConfig_StartsOnEmbeddedDefaultsWithAFileBackendThatMakesRealVolumes()
    {
        await using var kiln = KilnProcess.Start(null, dir.FullName, new Dictionary<string, string> { ["KILN__DEFAULT__host"] = host });
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);

        await client.WaitForStateAsync($"{host}@file", "ready", TimeSpan.FromSeconds(10));
        kiln.Output.ShouldContain($"data directory {Path.Combine(dir.FullName, "kiln-data")}");
        kiln.Output.ShouldContain("embedded defaults");
        Directory.Exists(Path.Combine(dir.FullName, "kiln-data")).ShouldBeTrue();

        var volumes = new VolumeApi(client.Http);
        var (status, id) = await volumes.CreateAsync(1);
        status.ShouldBe(HttpStatusCode.Accepted);
        await volumes.WaitForStatusAsync(id!, "available", TimeSpan.FromSeconds(10));
        var file = new FileInfo(Path.Combine(dir.FullName, "kiln-data", "volumes", "file", $"volume-{id}.raw"));
        file.Exists.ShouldBeTrue();
        file.Length.ShouldBe(1L << 30);
    }

    private static int SetupCalls(string callLog) =>
        File.ReadAllLines(callLog).Count(line => line.EndsWith(" do_setup", StringComparison.Ordinal));

    private string WriteConfig(string text)
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
