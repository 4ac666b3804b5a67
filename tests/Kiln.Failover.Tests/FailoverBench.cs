using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Kiln.Failover.Tests;

/// <summary>
/// Throughput of the scaled-out deployment, measured as bench.sh's throughput scenario measures the
/// embedded one: a cycle is POST /volumes (1 GB), poll until available, DELETE, poll until 404 (polls at
/// once, then 1, 2, 4, 8, 8 … ms). With one and with two API nodes (clients spread over them), at 8 and 32
/// clients; after a warm-up, several runs per row; cycles/s and the CPU per cycle of the kiln processes,
/// of PostgreSQL and of RabbitMQ (from /proc, each with its children).
/// </summary>
internal sealed class FailoverBench(FailoverSettings settings, Action<string> log)
{
    // Pacing: a refused create pauses its client briefly instead of counting refusals at full speed.
    private static readonly TimeSpan RefusedPause = TimeSpan.FromMilliseconds(100);

    private static readonly int[] ClientCounts = [8, 32];

    private readonly TimeSpan warmUp = Seconds("KILN_FAILOVER_BENCH_WARMUP", 10);
    private readonly TimeSpan runLength = Seconds("KILN_FAILOVER_BENCH_SECONDS", 10);
    private readonly int runs = (int)Seconds("KILN_FAILOVER_BENCH_RUNS", 3).TotalSeconds;

    public async Task<string> RunAsync()
    {
        var text = new StringBuilder();
        var hops = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"throughput on PostgreSQL + RabbitMQ, topology {settings.Topology}; {runs} runs of {runLength.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s of warm-up per row; load average at start {LoadAverage()}");
        text.AppendLine("| API nodes | clients | cycles/s (per run) | median cycle latency ms | kiln CPU ms/cycle | PostgreSQL CPU ms/cycle | RabbitMQ CPU ms/cycle |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var apiNodes in new[] { 1, 2 })
        {
            await using var cluster = await FailoverCluster.StartAsync(settings, apiNodes, log);
            using var cleanUp = new DeleteOnDispose(cluster);
            var clock = Stopwatch.StartNew();
            foreach (var clients in ClientCounts)
            {
                var apis = Enumerable.Range(0, clients).Select(i => new FailoverApi(cluster.ApiNodes, clock, i)).ToList();
                await MeasureAsync(apis, warmUp);
                var rates = new List<double>();
                var latencies = new List<double>();
                double kiln = 0, pg = 0, mq = 0;
                long cycles = 0;
                var hopsBefore = await HopProfile.ReadAsync(cluster.AllNodes);
                for (var run = 0; run < runs; run++)
                {
                    var before = cluster.CpuSeconds();
                    var (count, runLatencies) = await MeasureAsync(apis, runLength);
                    var after = cluster.CpuSeconds();
                    rates.Add(count / runLength.TotalSeconds);
                    latencies.AddRange(runLatencies);
                    cycles += count;
                    kiln += after.Kiln - before.Kiln;
                    pg += after.Postgres - before.Postgres;
                    mq += after.Rabbit - before.Rabbit;
                }

                latencies.Sort();
                var median = latencies.Count == 0 ? double.NaN : latencies[latencies.Count / 2];
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {apiNodes} | {clients} | {string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))} | {median:0} | {PerCycle(kiln, cycles)} | {PerCycle(pg, cycles)} | {PerCycle(mq, cycles)} |");
                log(row);
                text.AppendLine(row);
                hops.AppendLine(CultureInfo.InvariantCulture, $"{apiNodes} API node(s), {clients} clients, {cycles} cycles:");
                hops.AppendLine(HopProfile.Describe(hopsBefore, await HopProfile.ReadAsync(cluster.AllNodes)));
                foreach (var api in apis)
                {
                    api.Dispose();
                }
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"load average at end {LoadAverage()}");
        text.AppendLine();
        text.AppendLine("where the time goes (mean per hop over the measured runs of each row; sums of every node's /metrics):");
        text.Append(hops);
        return text.ToString();
    }

    private static async Task<(long Cycles, List<double> Latencies)> MeasureAsync(IReadOnlyList<FailoverApi> apis, TimeSpan length)
    {
        var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        long cycles = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        await Task.WhenAll(apis.Select(api => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                if (await CycleAsync(api) && Stopwatch.GetTimestamp() < end)
                {
                    Interlocked.Increment(ref cycles);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        })));
        return (cycles, [.. latencies]);
    }

    private static async Task<bool> CycleAsync(FailoverApi api)
    {
        var created = await api.CreateVolumeAsync(1);
        if (!created.Accepted)
        {
            await Task.Delay(RefusedPause);
            return false;
        }

        var id = created.Body.GetProperty("volume").GetProperty("id").GetString()!;
        if (!await PollAsync(api, id, gone: false))
        {
            return false;
        }

        var deleted = await api.DeleteVolumeAsync(id);
        return deleted.Accepted && await PollAsync(api, id, gone: true);
    }

    private static async Task<bool> PollAsync(FailoverApi api, string id, bool gone)
    {
        var delay = 0;
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var shown = await api.ShowAsync("volumes", id);
            if (gone && shown.Status == HttpStatusCode.NotFound)
            {
                return true;
            }

            if (!gone && shown.Status == HttpStatusCode.OK)
            {
                var status = shown.Body.GetProperty("volume").GetProperty("status").GetString();
                if (status == "available")
                {
                    return true;
                }

                if (!Checks.IsTransitional(status!))
                {
                    return false;
                }
            }

            if (delay > 0)
            {
                await Task.Delay(delay);
            }

            delay = delay == 0 ? 1 : Math.Min(delay * 2, 8);
        }

        return false;
    }

    private static string PerCycle(double cpuSeconds, long cycles) =>
        cycles == 0 ? "–" : (cpuSeconds * 1000 / cycles).ToString("0.00", CultureInfo.InvariantCulture);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static TimeSpan Seconds(string variable, double fallback) =>
        TimeSpan.FromSeconds(Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback);
}

/// <summary>Stops the cluster, then deletes its directory (a benchmark keeps nothing).</summary>
internal sealed class DeleteOnDispose(FailoverCluster cluster) : IDisposable
{
    public void Dispose()
    {
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        cluster.DeleteFiles();
    }
}
