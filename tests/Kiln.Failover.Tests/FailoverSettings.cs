using System.Globalization;

namespace Kiln.Failover.Tests;

/// <summary>
/// What one failover run does. The short run (part of ./build.sh) kills a volume node and restarts the
/// broker under a little traffic; eng/failover.sh sets <c>KILN_FAILOVER_FAULTS</c> to every fault of
/// issue 14 in turn (and <c>KILN_FAILOVER_MODE=bench</c> for the throughput benchmark).
/// </summary>
internal sealed record FailoverSettings
{
    public const string FaultsVariable = "KILN_FAILOVER_FAULTS";
    public const string ClientsVariable = "KILN_FAILOVER_CLIENTS";
    public const string TopologyVariable = "KILN_FAILOVER_TOPOLOGY";
    public const string ReportVariable = "KILN_FAILOVER_REPORT";
    public const string KeepVariable = "KILN_FAILOVER_KEEP";

    /// <summary>Every fault of issue 14, in the order.</summary>
    public static readonly Fault[] AllFaults = [Fault.VolumeNode, Fault.ApiNode, Fault.Scheduler, Fault.Broker, Fault.Database];

    public IReadOnlyList<Fault> Faults { get; init; } = [Fault.VolumeNode, Fault.Broker];

    /// <summary>Concurrent clients, each running create, extend, snapshot, delete cycles through either API node.</summary>
    public int Clients { get; init; } = 3;

    public Topology Topology { get; init; } = Topology.Split;

    /// <summary>Traffic before each fault, and after it once the system serves again.</summary>
    public TimeSpan TrafficAround { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the resources of acknowledged requests have, once a fault is over, to reach a final status.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long the system has to serve again (a new volume becomes available) after a fault.</summary>
    public TimeSpan ServeAgainBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Kiln's <c>service_down_time</c> in the run: issue 14's default for Kiln (Cinder's is 60 s).</summary>
    public int ServiceDownTimeSeconds { get; init; } = 10;

    public string? ReportPath { get; init; }

    public bool KeepDirectory { get; init; }

    public static FailoverSettings FromEnvironment()
    {
        var settings = new FailoverSettings
        {
            ReportPath = Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report ? report : null,
            KeepDirectory = Environment.GetEnvironmentVariable(KeepVariable) == "1",
        };
        if (Environment.GetEnvironmentVariable(FaultsVariable) is { Length: > 0 } faults)
        {
            settings = settings with
            {
                Faults = faults == "all" ? AllFaults : [.. faults.Split(',').Select(f => Enum.Parse<Fault>(f.Replace("-", "", StringComparison.Ordinal), ignoreCase: true))],
                TrafficAround = TimeSpan.FromSeconds(10),
                Clients = 6,
            };
        }

        if (Environment.GetEnvironmentVariable(ClientsVariable) is { Length: > 0 } clients)
        {
            settings = settings with { Clients = int.Parse(clients, CultureInfo.InvariantCulture) };
        }

        if (Environment.GetEnvironmentVariable(TopologyVariable) is { Length: > 0 } topology)
        {
            settings = settings with { Topology = Enum.Parse<Topology>(topology, ignoreCase: true) };
        }

        return settings;
    }
}

/// <summary>The faults of issue 14, injected one after another.</summary>
internal enum Fault
{
    /// <summary>kill -9 of a volume node, then a restart on the same data.</summary>
    VolumeNode,

    /// <summary>kill -9 of an API node: clients fail over to the other; then a restart.</summary>
    ApiNode,

    /// <summary>kill -9 of a scheduler: the other scheduler consumes the placements; then a restart.</summary>
    Scheduler,

    /// <summary>The broker restarted (SIGTERM: an orderly shutdown, then started again on the same data), as issue 14 names it.</summary>
    Broker,

    /// <summary>
    /// The broker killed (SIGKILL) and started again. Not in "all": a classic queue may not have written a message
    /// to disk yet that it delivered to a consumer and was not acked, and loses it (quorum queues would not); run
    /// it by name (KILN_FAILOVER_FAULTS=broker-kill) to see what that costs.
    /// </summary>
    BrokerKill,

    /// <summary>PostgreSQL shut down (fast) and started again.</summary>
    Database,
}

/// <summary>Where the scheduler role runs.</summary>
internal enum Topology
{
    /// <summary>Issue 14's: two API nodes, two scheduler nodes and two volume nodes, six processes.</summary>
    Split,

    /// <summary>Each volume node also runs a scheduler (placing on its own backends), as docs/deployment/rabbitmq.md recommends before placement is read from the database: four processes.</summary>
    Colocated,
}
