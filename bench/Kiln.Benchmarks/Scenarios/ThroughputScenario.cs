using System.Collections.Concurrent;
using System.Globalization;
using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// API throughput: volume create+delete cycles (POST, poll until available, DELETE, poll until gone)
/// by 1, 8 and 32 concurrent clients on loopback, against one backend of the driver named by
/// <c>--driver</c> (with <c>--driver-option</c>s), everything else at Kiln's defaults (SQLite, in-process messaging).
/// </summary>
internal sealed class ThroughputScenario : IScenario
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    public string Name => "throughput";

    public async Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options)
    {
        var runs = options.Quick ? 1 : 3;
        var duration = TimeSpan.FromSeconds(options.Quick ? 1.5 : 10);
        var results = new List<Measurement>();

        using var dir = new TempDirectory();
        var section = new List<(string, string)> { ("volume_driver", options.Driver) };
        if (options.Driver == "fault")
        {
            section.Add(("fault_capacity_gb", "100000000"));
        }

        foreach (var option in options.DriverOptions)
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            section.Add((option[..equals].Trim(), option[(equals + 1)..].Trim().Replace("{tmp}", dir.Path, StringComparison.Ordinal)));
        }

        var config = new KilnConfig(dir.File("data")).Backend("bench", [.. section]);
        await using var kiln = KilnServer.Start(options.KilnDll, dir.Write("kiln.conf", config.ToString()), dir.Path);
        using var api = new KilnApi(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(60)));
        if (!await Clock.WaitUntil(async () => (await api.DriverStatesAsync()).Values.All(s => s == "ready"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50)))
        {
            throw new InvalidOperationException($"throughput: the {options.Driver} backend did not become ready:\n{kiln.Output}");
        }

        // Warm-up: JIT, EF Core's model and query caches, connection pool.
        await RunAsync(api, 8, TimeSpan.FromSeconds(options.Quick ? 1 : 10));

        foreach (var clients in options.Clients)
        {
            var rates = new List<double>();
            var latencies = new List<double>();
            var serverCpu = new List<double>();
            var clientCpu = new List<double>();
            var requestsPerCycle = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var serverBefore = ProcessSampler.CpuSeconds(kiln.Pid);
                var clientBefore = Environment.CpuUsage.TotalTime;
                var requestsBefore = api.Requests;
                var (cycles, cycleLatencies) = await RunAsync(api, clients, duration);
                serverCpu.Add(1000 * (ProcessSampler.CpuSeconds(kiln.Pid) - serverBefore) / Math.Max(1, cycles));
                clientCpu.Add((Environment.CpuUsage.TotalTime - clientBefore).TotalMilliseconds / Math.Max(1, cycles));
                requestsPerCycle.Add((api.Requests - requestsBefore) / (double)Math.Max(1, cycles));
                rates.Add(cycles / duration.TotalSeconds);
                latencies.AddRange(cycleLatencies);
                Progress.Say(string.Create(CultureInfo.InvariantCulture,
                    $"throughput ({options.Driver}), {clients} clients, run {run + 1}/{runs}: {rates[^1]:0} cycles/s, p50 {Summary.Of(cycleLatencies).Median:0.0} ms, kiln CPU {serverCpu[^1]:0.00} ms/cycle, {requestsPerCycle[^1]:0.0} requests/cycle"));
            }

            var target = clients == 8 && options.Driver == "fault" ? Target.AtLeast("median", 500) : null;
            results.Add(Measurement.Of(Name, $"{options.Driver} driver, {clients} clients: cycles per second (per {duration.TotalSeconds:0.#} s run)", "cycles/s", rates, target));
            results.Add(Measurement.Of(Name, $"{options.Driver} driver, {clients} clients: cycle latency", "ms", latencies));
            results.Add(Measurement.Of(Name, $"{options.Driver} driver, {clients} clients: kiln CPU time per cycle (per run)", "ms", serverCpu,
                note: "CPU the kiln process used (user + system, /proc) divided by the cycles completed: the cost that bounds throughput on a busy machine"));
            results.Add(Measurement.Of(Name, $"{options.Driver} driver, {clients} clients: HTTP requests per cycle (per run)", "requests", requestsPerCycle));
            results.Add(Measurement.Of(Name, $"{options.Driver} driver, {clients} clients: benchmark client CPU time per cycle (per run)", "ms", clientCpu));
        }

        return results;
    }

    /// <summary>Runs <paramref name="clients"/> loops of cycles for <paramref name="duration"/>; counts cycles that finished in it.</summary>
    private static async Task<(int Cycles, List<double> Latencies)> RunAsync(KilnApi api, int clients, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var start = Clock.Now();
        var loops = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Clock.MillisecondsSince(start) < duration.TotalMilliseconds)
            {
                var began = Clock.Now();
                await CycleAsync(api);
                if (Clock.MillisecondsSince(start) <= duration.TotalMilliseconds)
                {
                    latencies.Add(Clock.MillisecondsSince(began));
                }
            }
        });
        await Task.WhenAll(loops);
        return (latencies.Count, [.. latencies]);
    }

    private static async Task CycleAsync(KilnApi api)
    {
        var id = await api.CreateVolumeAsync();
        var created = await api.SettleAsync(id, Poll, TimeSpan.FromSeconds(60));
        if (created != "available")
        {
            var detail = created is null ? string.Empty : $": {await api.VolumeJsonAsync(id)}";
            throw new InvalidOperationException($"throughput: volume {id} ended {created ?? "gone"}, not available{detail}");
        }

        await api.DeleteVolumeAsync(id);
        var deleted = await api.SettleAsync(id, Poll, TimeSpan.FromSeconds(60));
        if (deleted is not null)
        {
            throw new InvalidOperationException($"throughput: volume {id} ended {deleted} after delete, not gone");
        }
    }
}
