using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Time to serve: from starting <c>kiln serve</c> to the API answering <c>GET /healthz/live</c> (no
/// database needed) and <c>GET /v3/{project}/os-services</c> (which waits for the database start-up),
/// with a healthy backend and with a backend whose init hangs. Each trial is a new process
/// with a new data directory (so the SQLite database is created and migrated each time).
/// </summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options)
    {
        var trials = options.Quick ? 2 : 10;
        var results = new List<Measurement>();
        // A restart (the usual case) finds the database there; the first start creates and migrates it.
        using var kept = new TempDirectory();
        foreach (var (label, hang, reuse) in new[]
                 {
                     ("healthy backend, new database", false, (TempDirectory?)null),
                     ("healthy backend, restart on an existing database", false, kept),
                     ("backend init hangs, new database", true, null),
                 })
        {
            var listening = new List<double>();
            var live = new List<double>();
            var services = new List<double>();
            if (reuse is not null)
            {
                await TrialAsync(options, hang, reuse); // creates the database the timed trials restart on
            }

            for (var trial = 0; trial < trials; trial++)
            {
                var (l, h, r) = await TrialAsync(options, hang, reuse);
                listening.Add(l);
                live.Add(h);
                services.Add(r);
                Progress.Say($"startup ({label}) trial {trial + 1}/{trials}: /healthz/live answers {h:0} ms, os-services {r:0} ms after start");
            }

            results.Add(Measurement.Of(Name, $"start → GET /healthz/live 200, {label}", "ms", live, Target.Below("median", 1000)));
            results.Add(Measurement.Of(Name, $"start → GET os-services 200 (database ready), {label}", "ms", services, Target.Below("median", 1000)));
            results.Add(Measurement.Of(Name, $"start → \"listening\" log line, {label}", "ms", listening));
        }

        return results;
    }

    private static async Task<(double Listening, double Live, double Services)> TrialAsync(BenchOptions options, bool hang, TempDirectory? reuse)
    {
        using var fresh = reuse is null ? new TempDirectory() : null;
        var dir = reuse ?? fresh!;
        var config = new KilnConfig(dir.File("data")).Backend("fine", ("volume_driver", "fault"));
        if (hang)
        {
            config.Backend("stuck", ("volume_driver", "fault"), ("fault_control_file", dir.Write("hang.json", """{"init": "hang"}""")));
        }

        // A fixed free port, so that the API can be polled from the moment the process starts.
        var port = KilnServer.FreePort();
        using var api = new KilnApi(new Uri($"http://127.0.0.1:{port}"));
        await using var kiln = KilnServer.Start(options.KilnDll, dir.Write("kiln.conf", config.ToString()), dir.Path, port);
        var deadline = Clock.Now();
        while (await api.StatusOfAsync("/healthz/live") != System.Net.HttpStatusCode.OK)
        {
            if (Clock.MillisecondsSince(deadline) > 60_000)
            {
                throw new TimeoutException($"kiln did not answer /healthz/live within 60 s:\n{kiln.Output}");
            }

            await Clock.Pause(2);
        }

        var live = Clock.MillisecondsSince(kiln.StartedAt);
        while (await api.StatusOfAsync("/v3/bench/os-services") != System.Net.HttpStatusCode.OK)
        {
            await Clock.Pause(2);
        }

        var services = Clock.MillisecondsSince(kiln.StartedAt);
        await kiln.WaitListeningAsync(TimeSpan.FromSeconds(10));
        return (Clock.MillisecondsBetween(kiln.StartedAt, kiln.ListeningAt), live, services);
    }
}
