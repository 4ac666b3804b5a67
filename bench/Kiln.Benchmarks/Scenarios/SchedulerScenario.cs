using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Scheduler placement decisions per second. The full run uses BenchmarkDotNet (in-process toolchain, short
/// run); the quick run times the same methods with a stopwatch for about a quarter of a second each.
/// </summary>
internal sealed class SchedulerScenario : IScenario
{
    public string Name => "scheduler";

    public Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options) =>
        Task.FromResult<IReadOnlyList<Measurement>>(options.Quick ? Stopwatch() : BenchmarkDotNet());

    private List<Measurement> BenchmarkDotNet()
    {
        var artifacts = Path.Combine(BenchOptions.RepositoryRoot, "artifacts", "BenchmarkDotNet");
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        Progress.Say("scheduler: BenchmarkDotNet (in-process, ShortRun)");
        var summary = BenchmarkRunner.Run<SchedulerBenchmarks>(config);
        var results = new List<Measurement>();
        foreach (var report in summary.Reports.OrderBy(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, StringComparer.Ordinal))
        {
            var statistics = report.ResultStatistics ?? throw new InvalidOperationException($"scheduler: {report.BenchmarkCase.DisplayInfo} has no results");
            var pools = (int)report.BenchmarkCase.Parameters["Pools"];
            var specs = (string)report.BenchmarkCase.Parameters["Specs"];
            var method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            var perSecond = statistics.OriginalValues.Select(ns => 1e9 / ns).ToList();
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            results.Add(Measurement.Of(Name, Label(method, pools, specs), "decisions/s", perSecond, TargetFor(method, pools),
                string.Create(CultureInfo.InvariantCulture, $"{statistics.Mean:0} ns/op, {allocated} B allocated/op")));
        }

        return results;
    }

    private List<Measurement> Stopwatch()
    {
        var results = new List<Measurement>();
        foreach (var method in new[] { "Place", "BuildAndPlace" })
        {
            foreach (var pools in new[] { 10, 100, 1000 })
            {
                foreach (var specs in new[] { "none", "volume_backend_name" })
                {
                    var bench = new SchedulerBenchmarks { Pools = pools, Specs = specs };
                    bench.Setup();
                    Func<object> call = method == "Place" ? bench.Place : bench.BuildAndPlace;
                    var perSecond = new List<double>();
                    for (var batch = 0; batch < 5; batch++)
                    {
                        var start = Clock.Now();
                        var count = 0;
                        while (Clock.MillisecondsSince(start) < 50)
                        {
                            call();
                            count++;
                        }

                        perSecond.Add(count / (Clock.MillisecondsSince(start) / 1000));
                    }

                    results.Add(Measurement.Of(Name, Label(method, pools, specs), "decisions/s", perSecond, TargetFor(method, pools), "quick mode: stopwatch, 5 × 50 ms"));
                }
            }
        }

        Progress.Say("scheduler: stopwatch batches done");
        return results;
    }

    private static string Label(string method, int pools, string specs) =>
        $"{(method == "Place" ? "Place" : "FromSnapshot + Place (every backend with new stats since the last decision)")}, {pools} pools, extra specs: {specs}";

    // The target is on the decision. The server builds a backend's candidates again only when it
    // publishes a new snapshot (PoolSource), so the second row is the worst case, not every decision.
    private static Target? TargetFor(string method, int pools) => method == "Place" && pools == 1000 ? Target.AtLeast("median", 20_000) : null;
}
