using System.Globalization;
using System.Text.Json;
using Kiln.EndToEnd.Tests;

namespace Kiln.Failover.Tests;

/// <summary>One <c>kiln serve --roles …</c> process of the deployment: its host name, roles, fixed port and configuration.</summary>
internal sealed class KilnNode(string host, string roles, int port, string configPath, string directory)
{
    public string Host => host;

    public string Roles => roles;

    public Uri Address { get; } = new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    public KilnProcess? Process { get; private set; }

    public bool Alive => Process is { ExitCode: null };

    public int Incarnation { get; private set; }

    public async Task StartAsync()
    {
        Process = KilnProcess.Start(configPath, directory, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__osapi_volume_listen_port"] = port.ToString(CultureInfo.InvariantCulture),
        }, ["--roles", roles]);
        Incarnation++;
        await Process.WaitListeningAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>kill -9 (the process tree): the process dies mid-request.</summary>
    public async Task KillAsync()
    {
        if (Process is null)
        {
            return;
        }

        Process.Kill();
        SaveOutput();
        await Process.DisposeAsync();
        Process = null;
    }

    public async Task StopAsync()
    {
        if (Process is null)
        {
            return;
        }

        try
        {
            await Process.TerminateAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            // Killed by DisposeAsync below.
        }

        SaveOutput();
        await Process.DisposeAsync();
        Process = null;
    }

    // Every incarnation's log, for a kept run directory.
    private void SaveOutput() => File.AppendAllText(Path.Combine(directory, $"{host}.log"), $"=== incarnation {Incarnation}\n{Process!.Output}\n");
}

/// <summary>
/// The deployment under test, on loopback: PostgreSQL, RabbitMQ, two API nodes, two schedulers (own
/// processes, or in the volume processes for <see cref="Topology.Colocated"/>) and two volume nodes with
/// a backend each (<c>vol1@fault1</c>: the fault driver with its state file, so its volumes survive a kill
/// like an array's; <c>vol2@file1</c>: the file driver). Started as docs/deployment/three-hosts.md says:
/// database and broker, <c>kiln db sync</c>, volume nodes, schedulers, API nodes.
/// </summary>
internal sealed class FailoverCluster : IAsyncDisposable
{
    public const string FaultBackend = "vol1@fault1";
    public const string FileBackend = "vol2@file1";

    private readonly DirectoryInfo root;
    private readonly FailoverSettings settings;

    private FailoverCluster(DirectoryInfo root, FailoverSettings settings)
    {
        this.root = root;
        this.settings = settings;
        Postgres = new ThrowawayPostgres(Path.Combine(root.FullName, "pg"));
        Rabbit = new ThrowawayRabbit(Path.Combine(root.FullName, "rabbitmq"));
    }

    public string Root => root.FullName;

    public ThrowawayPostgres Postgres { get; }

    public ThrowawayRabbit Rabbit { get; }

    public List<KilnNode> ApiNodes { get; } = [];

    public List<KilnNode> SchedulerNodes { get; } = [];

    public List<KilnNode> VolumeNodes { get; } = [];

    public IEnumerable<KilnNode> AllNodes => VolumeNodes.Concat(SchedulerNodes).Concat(ApiNodes).Distinct();

    public string FaultStatePath => Path.Combine(Root, "fault1.volumes.json");

    public string FileVolumesDirectory => Path.Combine(Root, "file-volumes");

    public static async Task<FailoverCluster> StartAsync(FailoverSettings settings, int apiNodes, Action<string> log)
    {
        var root = Directory.CreateTempSubdirectory("kiln-failover-");
        // The cluster's directory belongs to the postgres user when the tests run as root: it must reach it.
        if (OperatingSystem.IsLinux())
        {
            root.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }
        var cluster = new FailoverCluster(root, settings);
        try
        {
            await cluster.StartAllAsync(apiNodes, log);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            log($"start-up failed; run directory kept: {cluster.Root}");
            throw;
        }
    }

    private async Task StartAllAsync(int apiNodes, Action<string> log)
    {
        Directory.CreateDirectory(FileVolumesDirectory);
        File.WriteAllText(Path.Combine(Root, "fault1.control.json"), "{}");
        // kiln db sync from the first node's configuration, as an operator runs it once per release (the
        // broker starts meanwhile: db sync needs only the database).
        var broker = Rabbit.CreateAsync();
        await Postgres.CreateAsync();
        var sync = await Run.CheckedAsync("dotnet", [KilnProcess.KilnDll, "db", "sync", "--config", WriteConfig("vol1", "fault1")]);
        log($"kiln db sync: {sync.Trim()}");
        await broker;
        log($"PostgreSQL at {Postgres.Url}, RabbitMQ at {Rabbit.TransportUrl}");

        var colocated = settings.Topology == Topology.Colocated;
        VolumeNodes.Add(Node("vol1", colocated ? "scheduler,volume" : "volume", "fault1"));
        VolumeNodes.Add(Node("vol2", colocated ? "scheduler,volume" : "volume", "file1"));
        SchedulerNodes.AddRange(colocated ? VolumeNodes : [Node("sch1", "scheduler", null), Node("sch2", "scheduler", null)]);
        for (var i = 1; i <= apiNodes; i++)
        {
            ApiNodes.Add(Node($"api{i}", "api", null));
        }

        // Every node starts at once: the order only matters for who waits on whom, and each waits on its own.
        await Task.WhenAll(AllNodes.Select(n => n.StartAsync()));
        log($"started {string.Join(", ", AllNodes.Select(n => $"{n.Host} ({n.Roles}) on {n.Address}"))}");
    }

    private KilnNode Node(string host, string roles, string? backend)
    {
        var config = WriteConfig(host, backend);
        return new KilnNode(host, roles, FreePort.Next(), config, Root);
    }

    /// <summary>The kiln.conf of one node: shared database and broker, own host, own backend on a volume node.</summary>
    private string WriteConfig(string host, string? backend)
    {
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            [DEFAULT]
            host = {host}
            state_path = {Path.Combine(Root, host)}
            transport_url = {Rabbit.TransportUrl}
            report_interval = 2
            service_down_time = {settings.ServiceDownTimeSeconds}
            backend_stats_polling_interval = 1
            reinit_probe_interval = 0.2
            reinit_backoff_initial = 0.2
            reinit_backoff_max = 1
            reinit_driver_count = 0
            quota_volumes = -1
            quota_snapshots = -1
            quota_gigabytes = -1
            enabled_backends = {backend ?? ""}

            [database]
            connection = {Postgres.Url}

            """));
        if (backend == "fault1")
        {
            text.Append(CultureInfo.InvariantCulture, $"""

                [fault1]
                volume_driver = fault
                volume_backend_name = fault1
                fault_control_file = {Path.Combine(Root, "fault1.control.json")}
                fault_state_file = {FaultStatePath}

                """);
        }
        else if (backend == "file1")
        {
            text.Append(CultureInfo.InvariantCulture, $"""

                [file1]
                volume_driver = file
                volume_backend_name = file1
                file_volumes_dir = {FileVolumesDirectory}

                """);
        }

        var path = Path.Combine(Root, $"{host}.conf");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>What the fault backend holds: volume sizes and snapshot ids.</summary>
    public (Dictionary<string, int> Volumes, HashSet<string> Snapshots) ReadFaultBackend()
    {
        if (!File.Exists(FaultStatePath))
        {
            return ([], []);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(FaultStatePath));
        return (
            document.RootElement.GetProperty("volumes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            [.. document.RootElement.GetProperty("snapshots").EnumerateObject().Select(p => p.Name)]);
    }

    /// <summary>What the file backend holds: volume sizes in bytes and snapshot ids.</summary>
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

    /// <summary>CPU seconds (user + system) used so far by the kiln processes, PostgreSQL and RabbitMQ, with their children.</summary>
    public (double Kiln, double Postgres, double Rabbit) CpuSeconds() =>
        (AllNodes.Where(n => n.Alive).Sum(n => ProcessCpu.TreeSeconds(n.Process!.ProcessId)),
         Postgres.ProcessId is { } pg ? ProcessCpu.TreeSeconds(pg) : 0,
         Rabbit.ProcessId is { } mq ? ProcessCpu.TreeSeconds(mq) : 0);

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await Task.WhenAll(AllNodes.Select(n => n.StopAsync()));
        await Rabbit.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>Deletes the run's files, unless asked to keep them (or the run failed).</summary>
    public void DeleteFiles()
    {
        try
        {
            root.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held by an exiting process: the temp directory is cleaned by the system.
        }
    }
}
