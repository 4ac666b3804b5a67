using Kiln.Benchmarks.Infrastructure;

namespace Kiln.Benchmarks.Scenarios;

/// <summary>
/// Time to serve: from starting <c>kiln serve</c> to the API answering <c>GET /healthz/live</c> and
/// <c>GET /</c>, with a healthy backend and with a backend whose init hangs. Each trial is a new process
/// with a new data directory (so the SQLite database is created and migrated each time).
/// </summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task<IReadOnlyList<Measurement>> RunAsync(BenchOptions options)
    {
        var trials = options.Quick ? 2 : 10;
        var results = new List<Measurement>();
        foreach (var (label, hang) in new[] { ("healthy backend", false), ("backend init hangs", true) })
        {
            var listening = new List<double>();
            var live = new List<double>();
            var root = new List<double>();
            for (var trial = 0; trial < trials; trial++)
            {
                var (l, h, r) = await TrialAsync(options, hang);
                listening.Add(l);
                live.Add(h);
                root.Add(r);
                Progress.Say($"startup ({label}) trial {trial + 1}/{trials}: /healthz/live answers {h:0} ms after start");
            }

            results.Add(Measurement.Of(Name, $"start → GET /healthz/live 200, {label}", "ms", live, Target.Below("median", 1000)));
            results.Add(Measurement.Of(Name, $"start → GET / (versions, 300), {label}", "ms", root));
            results.Add(Measurement.Of(Name, $"start → \"listening\" log line, {label}", "ms", listening));
        }

        return results;
    }

    private static async Task<(double Listening, double Live, double Root)> TrialAsync(BenchOptions options, bool hang)
    {
        using var dir = new TempDirectory();
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
        // "/" is Cinder's versions document, which answers 300 Multiple Choices.
        while (await api.StatusOfAsync("/") != System.Net.HttpStatusCode.MultipleChoices)
        {
            await Clock.Pause(2);
        }

        var root = Clock.MillisecondsSince(kiln.StartedAt);
        await kiln.WaitListeningAsync(TimeSpan.FromSeconds(10));
        return (Clock.MillisecondsBetween(kiln.StartedAt, kiln.ListeningAt), live, root);
    }
}
