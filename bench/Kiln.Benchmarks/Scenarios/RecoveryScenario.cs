using System.Collections.Concurrent;
using System.Globalization;
using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Recovery latency: backends whose storage is unreachable (fault driver, <c>ready_file</c> absent)
/// until their ready file appears. Each trial is one backend of one process; the ready files appear one
/// by one at random moments, so the trials sample every phase of the probe and backoff schedule. Measured
/// from the file appearing to <c>driver_state</c> ready in os-services and to the first volume create
/// that ends available (a volume type per backend pins the create to it).
/// </summary>
internal sealed class RecoveryScenario : IScenario
{
    public string Name => "recovery";

    public async Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options)
    {
        var random = new Random(7);
        var results = new List<Measurement>();

        // With the probe (default reinit_probe_interval = 2 s) and the default backoff.
        var probe = new Variant("with readiness probe (reinit_probe_interval = 2 s)", [],
            Trials: options.Quick ? 5 : 20, SpreadSeconds: options.Quick ? 3 : 25);

        // Backoff only. The full run keeps the default backoff (10 s, doubling to 60 s); the quick run
        // shortens it so that it fits in CI, and says so.
        var backoffOnly = options.Quick
            ? new Variant("backoff only (probe off; quick: backoff 1 s → 4 s)",
                [("reinit_probe_interval", "0"), ("reinit_backoff_initial", "1"), ("reinit_backoff_max", "4")], Trials: 3, SpreadSeconds: 2)
            : new Variant("backoff only (reinit_probe_interval = 0; default backoff 10 s → 60 s)",
                [("reinit_probe_interval", "0")], Trials: 12, SpreadSeconds: 60);

        foreach (var variant in new[] { probe, backoffOnly })
        {
            var (ready, created) = await RunVariantAsync(options, variant, random);
            var target = ReferenceEquals(variant, probe) ? Target.Below("p95", 3000) : null;
            results.Add(Measurement.Of(Name, $"ready file → driver_state ready, {variant.Label}", "ms", ready, target));
            results.Add(Measurement.Of(Name, $"ready file → first volume available, {variant.Label}", "ms", created, target));
        }

        return results;
    }

    private static async Task<(List<double> Ready, List<double> Created)> RunVariantAsync(BenchOptions options, Variant variant, Random random)
    {
        using var dir = new TempDirectory();
        var config = new KilnConfig(dir.File("data")).Default("reinit_driver_count", "0");
        foreach (var (key, value) in variant.Defaults)
        {
            config.Default(key, value);
        }

        var names = Enumerable.Range(0, variant.Trials).Select(i => $"r{i}").ToArray();
        foreach (var name in names)
        {
            var control = dir.Write($"{name}.json", $$"""{"ready_file": "{{dir.File(name + ".ready")}}"}""");
            config.Backend(name, ("volume_driver", "fault"), ("fault_control_file", control));
        }

        await using var kiln = KilnServer.Start(options.KilnDll, dir.Write("kiln.conf", config.ToString()), dir.Path);
        using var api = new KilnApi(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(60)));
        foreach (var name in names)
        {
            await api.CreateTypeAsync($"t-{name}", name);
        }

        var all = await Clock.WaitUntil(
            async () => (await api.DriverStatesAsync()).Values.All(s => s == "failed"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        if (!all)
        {
            throw new InvalidOperationException($"recovery: not every backend became failed:\n{kiln.Output}");
        }

        Progress.Say($"recovery, {variant.Label}: {names.Length} backends failed; ready files appear over {variant.SpreadSeconds} s");

        // Moments (from now) at which each ready file appears, in random order and spacing.
        var offsets = names.Select(_ => random.NextDouble() * variant.SpreadSeconds * 1000).Order().ToArray();
        var appeared = new ConcurrentDictionary<string, long>();
        var readyAt = new ConcurrentDictionary<string, long>();
        var createdAt = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var watcher = WatchStatesAsync(api, appeared, readyAt, stop.Token);
        var creators = new List<Task>();
        var start = Clock.Now();
        for (var i = 0; i < names.Length; i++)
        {
            var wait = offsets[i] - Clock.MillisecondsSince(start);
            if (wait > 0)
            {
                await Clock.Pause(TimeSpan.FromMilliseconds(wait));
            }

            var name = names[i];
            await File.WriteAllTextAsync(dir.File(name + ".ready"), "");
            appeared[name] = Clock.Now();
            creators.Add(CreateUntilAvailableAsync(api, name, appeared[name], createdAt));
        }

        var timeout = TimeSpan.FromSeconds(variant.SpreadSeconds + 120);
        await Task.WhenAll(creators).WaitAsync(timeout);
        await Clock.WaitUntil(() => Task.FromResult(readyAt.Count == names.Length), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        await stop.CancelAsync();
        await watcher;

        var ready = names.Where(readyAt.ContainsKey).Select(n => Clock.MillisecondsBetween(appeared[n], readyAt[n])).ToList();
        var created = names.Select(n => Clock.MillisecondsBetween(appeared[n], createdAt[n])).ToList();
        Progress.Say(string.Create(CultureInfo.InvariantCulture,
            $"recovery, {variant.Label}: ready median {Summary.Of(ready).Median:0} ms, volume available median {Summary.Of(created).Median:0} ms"));
        return (ready, created);
    }

    /// <summary>One poller for all backends: the first time each is seen ready after its file appeared.</summary>
    private static async Task WatchStatesAsync(
        KilnApi api, ConcurrentDictionary<string, long> appeared, ConcurrentDictionary<string, long> readyAt, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var states = await api.DriverStatesAsync();
            var seen = Clock.Now();
            foreach (var (host, state) in states)
            {
                var name = host[(host.IndexOf('@', StringComparison.Ordinal) + 1)..];
                if (state == "ready" && appeared.ContainsKey(name))
                {
                    readyAt.TryAdd(name, seen);
                }
            }

            try
            {
                await Clock.Pause(25, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Creates volumes on the backend until one ends available (the earlier ones end in error: no valid backend).</summary>
    private static async Task CreateUntilAvailableAsync(KilnApi api, string name, long appeared, ConcurrentDictionary<string, long> createdAt)
    {
        while (true)
        {
            var id = await api.CreateVolumeAsync($"t-{name}");
            var status = await api.SettleAsync(id, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60));
            if (status == "available")
            {
                createdAt[name] = Clock.Now();
                return;
            }

            if (Clock.MillisecondsSince(appeared) > 180_000)
            {
                throw new TimeoutException($"recovery: no volume became available on {name} within 180 s (last status {status})");
            }

            await Clock.Pause(25);
        }
    }

    private sealed record Variant(string Label, (string Key, string Value)[] Defaults, int Trials, int SpreadSeconds);
}
