using System.Globalization;
using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Scale of the lifecycle: N fault backends in one process, sharing one control file whose ready file
/// controls them all. Part 1 (default lifecycle options): start to all ready, then idle CPU and RSS read
/// from /proc once a second, in the first minute after all are ready and again in the steady state. Part 2 (stats every 2 s, one failed stats call fails a backend): the ready file
/// is removed so all of them go failed, then restored; time until all are ready again.
/// </summary>
internal sealed class ScaleScenario : IScenario
{
    public string Name => "scale";

    public async Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options)
    {
        var n = options.ScaleBackends;
        var idleSeconds = options.Quick ? 3 : 60;
        var outages = options.Quick ? 1 : 3;
        var results = new List<Measurement>();
        var note = options.Quick ? $"quick mode: {n} backends, idle window {idleSeconds} s" : null;

        using (var dir = new TempDirectory())
        {
            var (config, _) = Configure(dir, n, []);
            await using var kiln = KilnServer.Start(options.KilnDll, config, dir.Path);
            using var api = new KilnApi(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(120)));
            var listening = Clock.MillisecondsBetween(kiln.StartedAt, kiln.ListeningAt);
            await WaitAllAsync(api, n, "ready", TimeSpan.FromSeconds(300), kiln);
            var allReady = Clock.MillisecondsSince(kiln.StartedAt);
            Progress.Say(string.Create(CultureInfo.InvariantCulture, $"scale: {n} backends ready {allReady:0} ms after start (listening at {listening:0} ms)"));
            results.Add(Measurement.Of(Name, $"start → all {n} backends ready", "ms", [allReady], note: note));
            results.Add(Measurement.Of(Name, $"start → \"listening\" log line, {n} backends", "ms", [listening], Target.Below("median", 1000), note));

            // Let the first heartbeats and snapshot writes pass before the first idle window.
            await Clock.Pause(TimeSpan.FromSeconds(options.Quick ? 1 : 10));
            var (cpu, rss) = await SampleIdleAsync(kiln.Pid, idleSeconds);
            Progress.Say(string.Create(CultureInfo.InvariantCulture,
                $"scale: idle {n} backends, first {idleSeconds} s after all ready: CPU mean {Summary.Of(cpu).Mean:0.00} % of a core, RSS max {rss.Max():0} MB, {ProcessSampler.Threads(kiln.Pid)} threads"));
            results.Add(Measurement.Of(Name, $"idle CPU, {n} ready backends, first {idleSeconds} s after all ready (per second)", "% of one core", cpu,
                note: note ?? "includes the JIT compiling the stats path's hot methods again with profile data (tiered PGO): a one-time cost that fades over the next minutes"));
            results.Add(Measurement.Of(Name, $"idle RSS, {n} ready backends, first {idleSeconds} s after all ready (per second)", "MB", rss, Target.Below("max", 300), note));

            // Steady state: the same window once the JIT has settled (per-minute samples of this
            // process: 1.9 %, 1.3 %, 0.6 %, 0.5 % in minutes 2 to 5 after start).
            var settle = TimeSpan.FromSeconds(options.Quick ? 1 : 120);
            await Clock.Pause(settle);
            var after = Clock.MillisecondsSince(kiln.StartedAt) / 1000;
            (cpu, rss) = await SampleIdleAsync(kiln.Pid, idleSeconds);
            Progress.Say(string.Create(CultureInfo.InvariantCulture,
                $"scale: idle {n} backends, steady state ({after:0} s after start): CPU mean {Summary.Of(cpu).Mean:0.00} % of a core, RSS max {rss.Max():0} MB"));
            results.Add(Measurement.Of(Name, $"idle CPU, {n} ready backends, steady state (per second over {idleSeconds} s)", "% of one core", cpu, Target.Below("mean", 2),
                note ?? string.Create(CultureInfo.InvariantCulture, $"the window starts {after:0} s after start, {settle.TotalSeconds:0} s after the first one ended")));
            results.Add(Measurement.Of(Name, $"idle RSS, {n} ready backends, steady state (per second over {idleSeconds} s)", "MB", rss, Target.Below("max", 300), note));
        }

        using (var dir = new TempDirectory())
        {
            var (config, readyFile) = Configure(dir, n,
                [("backend_stats_polling_interval", "2"), ("stats_failure_threshold", "1"), ("reinit_driver_count", "0")]);
            await using var kiln = KilnServer.Start(options.KilnDll, config, dir.Path);
            using var api = new KilnApi(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(120)));
            await WaitAllAsync(api, n, "ready", TimeSpan.FromSeconds(300), kiln);
            var down = new List<double>();
            var recovered = new List<double>();
            for (var outage = 0; outage < outages; outage++)
            {
                File.Delete(readyFile);
                var removed = Clock.Now();
                await WaitAllAsync(api, n, "failed", TimeSpan.FromSeconds(120), kiln);
                down.Add(Clock.MillisecondsSince(removed));

                // Stay down for a while, so that the backoff has grown and only the probe can bring them back quickly.
                await Clock.Pause(TimeSpan.FromSeconds(options.Quick ? 1 : 5));
                await File.WriteAllTextAsync(readyFile, "");
                var restored = Clock.Now();
                await WaitAllAsync(api, n, "ready", TimeSpan.FromSeconds(300), kiln);
                recovered.Add(Clock.MillisecondsSince(restored));
                Progress.Say(string.Create(CultureInfo.InvariantCulture,
                    $"scale: outage {outage + 1}/{outages}: all failed {down[^1]:0} ms after the ready file went, all ready {recovered[^1]:0} ms after it came back"));
            }

            results.Add(Measurement.Of(Name, $"ready file removed → all {n} failed (stats every 2 s, threshold 1)", "ms", down, note: note));
            results.Add(Measurement.Of(Name, $"ready file restored → all {n} ready again", "ms", recovered, Target.Below("max", 10_000), note));
        }

        return results;
    }

    private static (string Config, string ReadyFile) Configure(TempDirectory dir, int n, (string Key, string Value)[] defaults)
    {
        var readyFile = dir.Write("storage.ready", "");
        var control = dir.Write("control.json", $$"""{"ready_file": "{{readyFile}}"}""");
        var config = new KilnConfig(dir.File("data"));
        foreach (var (key, value) in defaults)
        {
            config.Default(key, value);
        }

        for (var i = 0; i < n; i++)
        {
            config.Backend(string.Create(CultureInfo.InvariantCulture, $"b{i:0000}"), ("volume_driver", "fault"), ("fault_control_file", control));
        }

        return (dir.Write("kiln.conf", config.ToString()), readyFile);
    }

    private static async Task WaitAllAsync(KilnApi api, int n, string state, TimeSpan timeout, KilnServer kiln)
    {
        Dictionary<string, string> last = [];
        var done = await Clock.WaitUntil(
            async () =>
            {
                last = await api.DriverStatesAsync();
                return last.Count == n && last.Values.All(s => s == state);
            },
            timeout,
            TimeSpan.FromMilliseconds(100));
        if (!done)
        {
            var counts = string.Join(", ", last.Values.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}"));
            throw new TimeoutException($"scale: not all {n} backends {state} within {timeout.TotalSeconds} s ({counts})\n{kiln.Output}");
        }
    }

    private static async Task<(List<double> Cpu, List<double> Rss)> SampleIdleAsync(int pid, int seconds)
    {
        var cpu = new List<double>();
        var rss = new List<double>();
        var previous = ProcessSampler.CpuSeconds(pid);
        var at = Clock.Now();
        for (var i = 0; i < seconds; i++)
        {
            await Clock.Pause(TimeSpan.FromSeconds(1));
            var used = ProcessSampler.CpuSeconds(pid);
            var now = Clock.Now();
            cpu.Add(100 * (used - previous) / (Clock.MillisecondsBetween(at, now) / 1000));
            rss.Add(ProcessSampler.RssMegabytes(pid));
            (previous, at) = (used, now);
        }

        return (cpu, rss);
    }
}
