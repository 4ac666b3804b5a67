using BenchmarkDotNet.Attributes;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Placement decisions of <see cref="VolumeScheduler"/> over N ready pools (one pool per backend, as
/// the fault driver reports). <c>Place</c> uses candidates built once; <c>BuildAndPlace</c> also builds
/// them from backend snapshots with <see cref="PoolCandidate.FromSnapshot"/>, as the server does for the backends that
/// published new stats since the last decision (all of them, in the worst case).
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly VolumeScheduler scheduler = new();
    private BackendSnapshot[] snapshots = [];
    private List<PoolCandidate> candidates = [];
    private PlacementRequest request = null!;

    [Params(10, 100, 1000)]
    public int Pools { get; set; }

    /// <summary>The volume type's extra specs: none (the default type) or one <c>volume_backend_name</c>, as a type pinned to a backend class has.</summary>
    [Params("none", "volume_backend_name")]
    public string Specs { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        snapshots = [.. Enumerable.Range(0, Pools).Select(i => Snapshot(i, random))];
        candidates = [.. snapshots.SelectMany(s => PoolCandidate.FromSnapshot(s, "nova"))];
        request = new PlacementRequest
        {
            SizeGb = 10,
            ExtraSpecs = Specs == "none" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["volume_backend_name"] = "bench" },
        };
    }

    [Benchmark]
    public PlacementResult Place() => scheduler.Place(request, candidates, Now);

    [Benchmark]
    public PlacementResult BuildAndPlace()
    {
        var built = new List<PoolCandidate>(snapshots.Length);
        foreach (var snapshot in snapshots)
        {
            built.AddRange(PoolCandidate.FromSnapshot(snapshot, "nova"));
        }

        return scheduler.Place(request, built, Now);
    }

    private static BackendSnapshot Snapshot(int i, Random random)
    {
        var name = $"b{i:0000}";
        var total = 1000.0;
        var free = 100 + (random.NextDouble() * 900);
        return new BackendSnapshot
        {
            Host = $"bench@{name}",
            BackendName = name,
            State = BackendState.Ready,
            Since = Now,
            ReinitBudget = 3,
            StatsUpdatedAt = Now,
            Stats = new BackendStats
            {
                VolumeBackendName = "bench",
                Pools =
                [
                    new PoolStats
                    {
                        PoolName = name,
                        TotalCapacityGb = total,
                        FreeCapacityGb = free,
                        AllocatedCapacityGb = total - free,
                        ProvisionedCapacityGb = total - free,
                    },
                ],
            },
        };
    }
}
