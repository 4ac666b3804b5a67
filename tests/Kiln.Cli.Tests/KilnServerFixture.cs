using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kiln.Cli.Tests;

/// <summary>
/// A real <c>kiln serve</c> on a free loopback port, shared by the tests of one class, with fault
/// backends in each state the CLI shows: ready (<c>fast</c>), unrecoverable (<c>broken</c>), failed
/// with an unlimited budget (<c>late</c>), stuck initializing (<c>hanging</c>) and ready but with every
/// volume operation hanging (<c>stuck</c>). Volume types named like the backends pin volumes to them.
/// </summary>
public sealed partial class KilnServerFixture : IAsyncLifetime
{
    public const string Host = "clinode";

    private readonly DirectoryInfo dir = System.IO.Directory.CreateTempSubdirectory("kiln-cli-");
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;

    public Uri Url => listening.Task.Result;

    /// <summary>The process's log so far, for failure messages.</summary>
    public string Log => string.Join('\n', output);

    /// <summary>Runs kiln against this server (KILN_URL set).</summary>
    public Task<CliResult> RunAsync(params string[] args) => KilnCli.RunAsync(args, new Dictionary<string, string> { ["KILN_URL"] = Url.ToString() });

    /// <summary>Runs kiln against this server as if in a terminal <paramref name="columns"/> wide (<c>$COLUMNS</c>).</summary>
    public Task<CliResult> RunWithColumnsAsync(int columns, params string[] args) =>
        KilnCli.RunAsync(args, new Dictionary<string, string> { ["KILN_URL"] = Url.ToString(), ["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(dir.FullName, "broken.json"), """{"init": "config"}""");
        File.WriteAllText(Path.Combine(dir.FullName, "late.json"), JsonSerializer.Serialize(new { ready_file = Path.Combine(dir.FullName, "never") }));
        File.WriteAllText(Path.Combine(dir.FullName, "hanging.json"), """{"init": "hang"}""");
        File.WriteAllText(Path.Combine(dir.FullName, "stuck.json"), """{"ops": "hang"}""");
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = fast, broken, late, hanging, stuck
            report_interval = 1
            service_down_time = 5
            quota_volumes = -1

            [fast]
            volume_driver = fault
            fault_capacity_gb = 100
            backend_stats_polling_interval = 1

            [broken]
            volume_driver = fault
            fault_control_file = {dir.FullName}/broken.json

            [late]
            volume_driver = fault
            fault_control_file = {dir.FullName}/late.json
            reinit_driver_count = 0

            [hanging]
            volume_driver = fault
            fault_control_file = {dir.FullName}/hanging.json
            driver_init_timeout = 3600

            [stuck]
            volume_driver = fault
            fault_control_file = {dir.FullName}/stuck.json
            """);

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(KilnCli.KilnDll);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        info.Environment["KILN__DEFAULT__osapi_volume_listen_port"] = "0";
        info.Environment["DOTNET_NOLOGO"] = "1";
        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"kiln serve exited early:\n{Log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // Generous: the first requests wait for the start-up migrations, slow on a busy machine.
        await WaitForStatesAsync(TimeSpan.FromSeconds(60), ("fast", "ready"), ("broken", "unrecoverable"), ("late", "failed"), ("hanging", "initializing"), ("stuck", "ready"));
        foreach (var backend in new[] { "fast", "broken", "stuck" })
        {
            await CreatePinnedTypeAsync(backend);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        dir.Delete(recursive: true);
    }

    /// <summary>The backend's driver_state, read over HTTP (not through the CLI under test).</summary>
    public async Task<string?> StateAsync(string backend)
    {
        using var http = Http();
        var body = await http.GetFromJsonAsync<JsonElement>("v3/admin/os-services?binary=cinder-volume");
        return body.GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("host").GetString() == $"{Host}@{backend}")
            .Select(s => s.GetProperty("driver_state").GetString())
            .FirstOrDefault();
    }

    /// <summary>An available volume on <c>fast</c>, made over HTTP so only the command under test runs the CLI.</summary>
    public async Task<string> CreateVolumeAsync(string name, int size = 1)
    {
        using var http = Http();
        using var created = await http.PostAsJsonAsync("v3/admin/volumes", new { volume = new { size, name, volume_type = "fast" } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("volume").GetProperty("id").GetString()!;
        await WaitAvailableAsync(http, $"v3/admin/volumes/{id}", "volume");
        return id;
    }

    /// <summary>An available snapshot of <paramref name="volumeId"/>, made over HTTP.</summary>
    public async Task<string> CreateSnapshotAsync(string volumeId, string name)
    {
        using var http = Http();
        using var created = await http.PostAsJsonAsync("v3/admin/snapshots", new { snapshot = new { volume_id = volumeId, name } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("snapshot").GetProperty("id").GetString()!;
        await WaitAvailableAsync(http, $"v3/admin/snapshots/{id}", "snapshot");
        return id;
    }

    /// <summary>Attaches <paramref name="volumeId"/> to <paramref name="serverId"/> at <c>/dev/vdb</c> with the legacy <c>os-attach</c>, over HTTP.</summary>
    public async Task AttachAsync(string volumeId, string serverId)
    {
        using var http = Http();
        using var attached = await http.PostAsJsonAsync($"v3/admin/volumes/{volumeId}/action", new Dictionary<string, object> { ["os-attach"] = new { instance_uuid = serverId, mountpoint = "/dev/vdb" } });
        attached.EnsureSuccessStatusCode();
    }

    private static async Task WaitAvailableAsync(HttpClient http, string path, string kind)
    {
        var started = Stopwatch.GetTimestamp();
        string? status = null;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            status = (await http.GetFromJsonAsync<JsonElement>(path)).GetProperty(kind).GetProperty("status").GetString();
            if (status == "available")
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{path} is still {status}");
    }

    // Kiln's fields (driver_state, which the set-up waits on) come only with the opt-in header.
    // 60 s: the first requests wait for the start-up migrations, which take more than 10 s on a busy machine.
    private HttpClient Http() => new() { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "X-Kiln-Extensions", "true" } } };

    // Set up over HTTP, not through the CLI under test.
    private async Task CreatePinnedTypeAsync(string backend)
    {
        using var http = Http();
        using var created = await http.PostAsJsonAsync("v3/admin/types", new { volume_type = new { name = backend } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("volume_type").GetProperty("id").GetString();
        using var specs = await http.PostAsJsonAsync($"v3/admin/types/{id}/extra_specs", new { extra_specs = new { volume_backend_name = backend } });
        specs.EnsureSuccessStatusCode();
    }

    private async Task WaitForStatesAsync(TimeSpan timeout, params (string Backend, string State)[] expected)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var states = new List<string>();
            try
            {
                foreach (var (backend, state) in expected)
                {
                    var actual = await StateAsync(backend);
                    if (actual != state)
                    {
                        states.Add($"{backend}: {actual ?? "no record"} (want {state})");
                    }
                }
            }
            catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                // The API answers 503 until the database start-up is done (minutes on a machine at load 40): wait on.
                states.Add("os-services: 503, the database is still starting");
            }

            if (states.Count == 0)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"backends did not settle: {string.Join(", ", states)}\n{Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Kiln API listening on (http://[^\s,;]+)")]
    private static partial Regex ListeningLine();
}
