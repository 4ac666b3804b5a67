using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.Failover.Tests;

/// <summary>What one fault cost: how long until something noticed it, until a new volume was served again, until the killed part was back.</summary>
internal sealed record FaultTimes(Fault Fault, string Target, TimeSpan? Detected, string DetectedBy, TimeSpan? ServedAgain, TimeSpan? Back, string BackBy);

/// <summary>The report of a run: violations (any fails the test), the measured times, and the traffic.</summary>
internal sealed record FailoverReport(IReadOnlyList<string> Violations, IReadOnlyList<FaultTimes> Times, string Text);

/// <summary>
/// Issue 14's failure tests: the deployment under client traffic, then each fault in turn; after each, the
/// checks of <see cref="Checks"/>, and the times to detect and to serve again.
/// </summary>
internal sealed class FailoverRun(FailoverSettings settings, Action<string> log)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Ledger ledger = new();
    private readonly List<string> violations = [];
    private readonly List<FaultTimes> times = [];

    public async Task<FailoverReport> RunAsync()
    {
        await using var cluster = await FailoverCluster.StartAsync(settings, apiNodes: 2, Log);
        var failed = true;
        try
        {
            using var api = new FailoverApi(cluster.ApiNodes, clock);
            await WaitAsync("every backend ready and up", TimeSpan.FromSeconds(90), async () => await BackendsUpAsync(api, cluster.VolumeNodes.Select(BackendOf)));
            using var traffic = new Traffic(cluster.ApiNodes, ledger, clock, settings.Clients);
            foreach (var fault in settings.Faults)
            {
                Log($"--- {fault}: traffic for {settings.TrafficAround.TotalSeconds:0} s, then the fault");
                using var stop = new CancellationTokenSource();
                var running = traffic.RunAsync(stop.Token);
                await Task.Delay(settings.TrafficAround);
                times.Add(await InjectAsync(fault, cluster, api));
                await Task.Delay(settings.TrafficAround);
                await stop.CancelAsync();
                await running;
                var found = await Checks.JudgeAsync(api, cluster, ledger, settings.SettleBound);
                violations.AddRange(found.Select(v => $"after {fault}: {v}"));
                Log($"--- {fault}: {found.Count} violation(s)");
            }

            foreach (var error in traffic.ServerErrors.Concat(api.ServerErrors).Where(e => e.Status != 503))
            {
                violations.Add($"{error.Status} from {error.Node} at {error.At.TotalSeconds:0.0} s: {error.Request}: {error.Body}");
            }

            foreach (var node in cluster.AllNodes.Where(n => n.Process?.ExitCode is not null))
            {
                violations.Add($"{node.Host} exited by itself with code {node.Process!.ExitCode}");
            }

            var report = Report(cluster, traffic);
            failed = violations.Count > 0;
            return report;
        }
        finally
        {
            if (failed || settings.KeepDirectory)
            {
                Log($"run directory kept: {cluster.Root} (each node's log is <host>.log)");
            }
            else
            {
                await cluster.DisposeAsync();
                cluster.DeleteFiles();
            }
        }
    }

    private async Task<FaultTimes> InjectAsync(Fault fault, FailoverCluster cluster, FailoverApi api)
    {
        using var probes = new Probes(cluster.ApiNodes, ledger, clock);
        TimeSpan? detected, back;
        string detectedBy, backBy, target;
        long at;
        switch (fault)
        {
            case Fault.VolumeNode:
                var volume = cluster.VolumeNodes[0];
                target = $"{volume.Host} (kill -9)";
                await volume.KillAsync();
                at = Stopwatch.GetTimestamp();
                probes.Start(at);
                detectedBy = $"os-services shows {BackendOf(volume)} down";
                detected = await WaitAsync(detectedBy, TimeSpan.FromSeconds(settings.ServiceDownTimeSeconds + 15), async () => await ServiceStateAsync(api, "cinder-volume", BackendOf(volume)) == "down", at);
                await volume.StartAsync();
                backBy = $"{BackendOf(volume)} up and ready again after the restart";
                back = await WaitAsync(backBy, TimeSpan.FromSeconds(90), async () => await BackendsUpAsync(api, [BackendOf(volume)]), at);
                break;
            case Fault.ApiNode:
                var apiNode = cluster.ApiNodes[0];
                target = $"{apiNode.Host} (kill -9)";
                await apiNode.KillAsync();
                at = Stopwatch.GetTimestamp();
                probes.Start(at);
                detectedBy = $"{apiNode.Host} refuses connections (clients fail over)";
                detected = await WaitAsync(detectedBy, TimeSpan.FromSeconds(10), async () => await api.ReadyAsync(apiNode) is null, at);
                await probes.FirstAsync(settings.ServeAgainBound);
                await apiNode.StartAsync();
                backBy = $"{apiNode.Host} ready (/healthz/ready 200) after the restart";
                back = await WaitAsync(backBy, TimeSpan.FromSeconds(90), async () => await api.ReadyAsync(apiNode) == HttpStatusCode.OK, at);
                break;
            case Fault.Scheduler:
                var scheduler = cluster.SchedulerNodes[0];
                target = $"{scheduler.Host} (kill -9)";
                await scheduler.KillAsync();
                at = Stopwatch.GetTimestamp();
                probes.Start(at);
                detectedBy = $"os-services shows the scheduler {scheduler.Host} down";
                detected = await WaitAsync(detectedBy, TimeSpan.FromSeconds(settings.ServiceDownTimeSeconds + 15), async () => await ServiceStateAsync(api, "cinder-scheduler", scheduler.Host) == "down", at);
                await scheduler.StartAsync();
                backBy = $"the scheduler {scheduler.Host} up after the restart";
                back = await WaitAsync(backBy, TimeSpan.FromSeconds(90), async () => await ServiceStateAsync(api, "cinder-scheduler", scheduler.Host) == "up" && (scheduler.Roles == "scheduler" || await BackendsUpAsync(api, [BackendOf(scheduler)])), at);
                break;
            case Fault.Broker or Fault.BrokerKill:
                target = fault == Fault.Broker ? "RabbitMQ (stopped, started again)" : "RabbitMQ (kill -9, started again)";
                await cluster.Rabbit.StopAsync(graceful: fault == Fault.Broker);
                at = Stopwatch.GetTimestamp();
                probes.Start(at);
                detectedBy = "an API node's /healthz/ready answers 503";
                detected = await WaitAsync(detectedBy, TimeSpan.FromSeconds(30), async () => await api.ReadyAsync(cluster.ApiNodes[0]) == HttpStatusCode.ServiceUnavailable, at);
                await cluster.Rabbit.StartAsync();
                backBy = "every API node ready (/healthz/ready 200) after the broker's restart";
                back = await WaitAsync(backBy, TimeSpan.FromSeconds(60), async () => await AllReadyAsync(api, cluster), at);
                break;
            case Fault.Database:
                target = "PostgreSQL (fast shutdown, started again)";
                await cluster.Postgres.StopAsync();
                at = Stopwatch.GetTimestamp();
                probes.Start(at);
                detectedBy = "an API node's /healthz/ready answers 503";
                detected = await WaitAsync(detectedBy, TimeSpan.FromSeconds(30), async () => await api.ReadyAsync(cluster.ApiNodes[0]) == HttpStatusCode.ServiceUnavailable, at);
                await cluster.Postgres.StartAsync();
                backBy = "every API node ready (/healthz/ready 200) after PostgreSQL's restart";
                back = await WaitAsync(backBy, TimeSpan.FromSeconds(60), async () => await AllReadyAsync(api, cluster), at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault));
        }

        var served = await probes.FirstAsync(settings.ServeAgainBound);
        if (served is null)
        {
            violations.Add($"after {fault}: no new volume became available within {settings.ServeAgainBound.TotalSeconds:0} s of the fault ({probes.Describe()})");
        }

        await probes.StopAsync();
        var result = new FaultTimes(fault, target, detected, detectedBy, served, back, backBy);
        Log($"{fault} on {target}: detected {Seconds(detected)} ({detectedBy}); a new volume served after {Seconds(served)}; back {Seconds(back)} ({backBy})");
        return result;
    }

    private static string BackendOf(KilnNode node) => node.Host == "vol1" ? FailoverCluster.FaultBackend : FailoverCluster.FileBackend;

    private static async Task<string?> ServiceStateAsync(FailoverApi api, string binary, string host) =>
        (await api.ServicesAsync())?.FirstOrDefault(s => s.GetProperty("binary").GetString() == binary && s.GetProperty("host").GetString() == host) is { ValueKind: JsonValueKind.Object } service
            ? service.GetProperty("state").GetString()
            : null;

    /// <summary>Each backend listed by os-services as up, with Kiln's lifecycle saying ready (or degraded).</summary>
    private static async Task<bool> BackendsUpAsync(FailoverApi api, IEnumerable<string> backends)
    {
        var services = await api.ServicesAsync();
        return services is not null && backends.All(b => services.Any(s =>
            s.GetProperty("binary").GetString() == "cinder-volume" && s.GetProperty("host").GetString() == b
            && s.GetProperty("state").GetString() == "up"
            && (!s.TryGetProperty("driver_state", out var state) || state.GetString() is "ready" or "degraded")));
    }

    private static async Task<bool> AllReadyAsync(FailoverApi api, FailoverCluster cluster)
    {
        foreach (var node in cluster.ApiNodes)
        {
            if (await api.ReadyAsync(node) != HttpStatusCode.OK)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Polls <paramref name="condition"/> (pauses growing to 100 ms); the time since <paramref name="since"/> (or the call) when it held, or null (a violation) at the bound.</summary>
    private async Task<TimeSpan?> WaitAsync(string what, TimeSpan bound, Func<Task<bool>> condition, long? since = null)
    {
        var start = since ?? Stopwatch.GetTimestamp();
        var pauses = new Poll.Pauses();
        while (Stopwatch.GetElapsedTime(start) < bound)
        {
            if (await condition())
            {
                return Stopwatch.GetElapsedTime(start);
            }

            await pauses.NextAsync();
        }

        violations.Add($"not within {bound.TotalSeconds:0} s: {what}");
        Log($"NOT within {bound.TotalSeconds:0} s: {what}");
        return null;
    }

    private FailoverReport Report(FailoverCluster cluster, Traffic traffic)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"failover run: topology {settings.Topology} ({string.Join(", ", cluster.AllNodes.Select(n => $"{n.Host}: {n.Roles}"))}), {settings.Clients} clients, faults {string.Join(", ", settings.Faults)}, {clock.Elapsed.TotalSeconds:0} s");
        text.AppendLine("| fault | target | detected after | by | new volume served after | back after | by |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var t in times)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {t.Fault} | {t.Target} | {Seconds(t.Detected)} | {t.DetectedBy} | {Seconds(t.ServedAgain)} | {Seconds(t.Back)} | {t.BackBy} |");
        }

        text.AppendLine("requests (sent / acknowledged / ended as asked):");
        foreach (var (operation, counts) in ledger.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {operation}: {counts[0]} / {counts[1]} / {counts[2]}{(ledger.LastRefusal.TryGetValue(operation, out var refusal) ? $"; last refusal: {refusal}" : "")}");
        }

        var unavailable = traffic.ServerErrors.Count(e => e.Status == 503);
        text.AppendLine(CultureInfo.InvariantCulture, $"requests failed over to the other API node: {traffic.FailedOver}; 503 answers (broker or database away): {unavailable}");
        text.AppendLine(violations.Count == 0 ? "every invariant held" : $"{violations.Count} violation(s):");
        foreach (var violation in violations)
        {
            text.AppendLine("  " + violation);
        }

        return new FailoverReport(violations, times, text.ToString());
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s") : "never";

    private void Log(string line) => log(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}"));
}
