using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kiln.EndToEnd.Tests;

namespace Kiln.Chaos.Tests;

/// <summary>
/// The system under chaos: one <c>kiln serve</c> process with eight fault backends and one file
/// backend, its database on a small tmpfs that the harness can fill, and the files through which
/// the fault backends are steered (control files) and read (state files, call logs).
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    public const string Host = "chaos";
    private const int DatabaseFilesystemMb = 48;

    private readonly DirectoryInfo root;
    private readonly Action<string> log;
    private KilnProcess? process;
    private bool mounted;

    private ChaosCluster(DirectoryInfo root, Action<string> log)
    {
        this.root = root;
        this.log = log;
    }

    public string Root => root.FullName;

    public string DatabaseDirectory => Path.Combine(Root, "db");

    public string FileVolumesDirectory => Path.Combine(Root, "file-volumes");

    public string ConfigPath => Path.Combine(Root, "kiln.conf");

    /// <summary>Why the database cannot be filled here, or null when it can (a tmpfs is mounted).</summary>
    public string? DatabaseFillUnavailable { get; private set; }

    /// <summary>The current process's API, with Kiln's extensions asked for; replaced at each restart.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>Incremented at each (re)start: a request that spans two incarnations saw a kill.</summary>
    public int Incarnation { get; private set; }

    public string? ExitedUnexpectedly => process?.ExitCode is { } code ? $"kiln exited by itself with code {code}:\n{Tail(process.Output)}" : null;

    public string Output => process?.Output ?? "";

    public static async Task<ChaosCluster> CreateAsync(ChaosSettings settings, Action<string> log)
    {
        var cluster = new ChaosCluster(Directory.CreateTempSubdirectory($"kiln-chaos-{settings.Seed}-"), log);
        Directory.CreateDirectory(cluster.DatabaseDirectory);
        Directory.CreateDirectory(cluster.FileVolumesDirectory);
        await cluster.MountDatabaseFilesystemAsync();
        foreach (var backend in ChaosSettings.AllBackends.Where(b => b != ChaosSettings.FileBackend))
        {
            cluster.Heal(backend);
        }

        File.WriteAllText(cluster.ConfigPath, cluster.Config(settings));
        return cluster;
    }

    public string ControlPath(string backend) => Path.Combine(Root, $"{backend}.control.json");

    public string ReadyPath(string backend) => Path.Combine(Root, $"{backend}.ready");

    public string CallLogPath(string backend) => Path.Combine(Root, $"{backend}.calls");

    public string StatePath(string backend) => Path.Combine(Root, $"{backend}.volumes.json");

    public async Task StartAsync()
    {
        process = KilnProcess.Start(ConfigPath, Root);
        var address = await process.WaitListeningAsync(TimeSpan.FromSeconds(60));
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add("X-Kiln-Extensions", "true");
        Http = http;
        Incarnation++;
    }

    /// <summary>kill -9, then a new process on the same configuration and data.</summary>
    public async Task KillAndRestartAsync()
    {
        if (process!.ExitCode is null)
        {
            process.Kill();
        }

        SaveOutput();
        await process.DisposeAsync();
        log($"killed incarnation {Incarnation} (SIGKILL)");
        await StartAsync();
        log($"restarted as incarnation {Incarnation} on {Http.BaseAddress}");
    }

    public void WriteControl(string backend, string json)
    {
        // One rename: the driver re-reads the file on every call and must never see half of it.
        var temp = ControlPath(backend) + ".tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, ControlPath(backend), overwrite: true);
    }

    public void MakeUnreachable(string backend)
    {
        File.Delete(ReadyPath(backend));
        WriteControl(backend, JsonSerializer.Serialize(new { ready_file = ReadyPath(backend) }));
    }

    public void Heal(string backend)
    {
        File.WriteAllText(ReadyPath(backend), "");
        WriteControl(backend, "{}");
    }

    /// <summary>Fills the database's filesystem to the last byte with a filler file.</summary>
    public void FillDatabase()
    {
        var buffer = new byte[1 << 20];
        using var filler = new FileStream(Path.Combine(DatabaseDirectory, "filler"), FileMode.Append, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                filler.Write(buffer);
            }
        }
        catch (IOException)
        {
            // Full to the megabyte; now the last bytes.
        }

        foreach (var size in new[] { 65536, 4096, 512, 1 })
        {
            try
            {
                while (true)
                {
                    filler.Write(buffer, 0, size);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    public void FreeDatabase() => File.Delete(Path.Combine(DatabaseDirectory, "filler"));

    /// <summary>What a fault backend's driver holds: volume sizes and each snapshot's volume.</summary>
    public (Dictionary<string, int> Volumes, Dictionary<string, string> Snapshots) ReadFaultBackend(string backend)
    {
        var path = StatePath(backend);
        if (!File.Exists(path))
        {
            return ([], []);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return (
            document.RootElement.GetProperty("volumes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            document.RootElement.GetProperty("snapshots").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("volume_id").GetString()!));
    }

    /// <summary>What the file backend holds: volume sizes (raw file length in GiB) and snapshot ids.</summary>
    public (Dictionary<string, long> VolumeBytes, HashSet<string> Snapshots) ReadFileBackend()
    {
        var volumes = new Dictionary<string, long>();
        var snapshots = new HashSet<string>();
        foreach (var file in new DirectoryInfo(FileVolumesDirectory).EnumerateFiles())
        {
            var name = Path.GetFileNameWithoutExtension(file.Name);
            if (file.Name.StartsWith("volume-", StringComparison.Ordinal))
            {
                volumes[name["volume-".Length..]] = file.Length;
            }
            else if (file.Name.StartsWith("snapshot-", StringComparison.Ordinal))
            {
                snapshots.Add(name["snapshot-".Length..]);
            }
        }

        return (volumes, snapshots);
    }

    /// <summary>The <c>do_setup</c> calls of a fault backend, as unix milliseconds.</summary>
    public IReadOnlyList<long> SetupCalls(string backend) =>
        File.Exists(CallLogPath(backend))
            ? [.. File.ReadLines(CallLogPath(backend)).Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[1] == "do_setup").Select(p => long.Parse(p[0], CultureInfo.InvariantCulture))]
            : [];

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            try
            {
                await process.TerminateAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                log("kiln did not stop within 15 s of SIGTERM; killed");
            }

            SaveOutput();
            await process.DisposeAsync();
        }

        Http.Dispose();
        if (mounted)
        {
            // Always unmounted, even after a failure: a leftover tmpfs would outlive the test run.
            await RunAsync("umount", DatabaseDirectory);
        }
    }

    /// <summary>Deletes the run's files, unless a failed run keeps them for a look.</summary>
    public void DeleteFiles()
    {
        try
        {
            root.Delete(recursive: true);
        }
        catch (IOException ex)
        {
            log($"could not delete {Root}: {ex.Message}");
        }
    }

    private async Task MountDatabaseFilesystemAsync()
    {
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={DatabaseFilesystemMb}m,mode=0700", "tmpfs", DatabaseDirectory);
        if (code == 0)
        {
            mounted = true;
            return;
        }

        DatabaseFillUnavailable = $"cannot mount a tmpfs for the database (mount exited {code}: {output.Trim()}); the database-fills fault is NOT run";
        log("WARNING: " + DatabaseFillUnavailable);
    }

    private string Config(ChaosSettings settings)
    {
        var timeout = settings.DriverTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder($"""
            [DEFAULT]
            host = {Host}
            state_path = {DatabaseDirectory}
            enabled_backends = {string.Join(",", ChaosSettings.AllBackends)}
            quota_volumes = -1
            quota_snapshots = -1
            quota_gigabytes = -1
            report_interval = 1
            service_down_time = 5
            backend_stats_polling_interval = 0.5
            stats_failure_threshold = 2
            reinit_probe_interval = 0.2
            reinit_backoff_initial = 0.2
            reinit_backoff_max = 1
            reinit_driver_count = {settings.ReinitBudget}
            driver_init_timeout = {timeout}
            driver_stats_timeout = {timeout}
            driver_operation_timeout = {timeout}

            [{ChaosSettings.FileBackend}]
            volume_driver = file
            file_volumes_dir = {FileVolumesDirectory}

            """);
        foreach (var backend in ChaosSettings.AllBackends.Where(b => b != ChaosSettings.FileBackend))
        {
            text.Append(CultureInfo.InvariantCulture, $"""

                [{backend}]
                volume_driver = fault
                fault_control_file = {ControlPath(backend)}
                fault_call_log = {CallLogPath(backend)}
                fault_state_file = {StatePath(backend)}

                """);
        }

        return text.ToString();
    }

    // Every incarnation's log, for a kept run directory.
    private void SaveOutput() => File.AppendAllText(Path.Combine(Root, "kiln.log"), $"=== incarnation {Incarnation}\n{process!.Output}\n");

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static async Task<(int Code, string Output)> RunAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var child = Process.Start(info)!;
            var output = await child.StandardOutput.ReadToEndAsync() + await child.StandardError.ReadToEndAsync();
            await child.WaitForExitAsync();
            return (child.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
