using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Kiln.Tests.Shared;

namespace Kiln.Chaos.Tests;

/// <summary>The outcome of one run: every violation, and a report that names the seed and how to reproduce.</summary>
internal sealed record ChaosReport(ChaosSettings Settings, IReadOnlyList<Violation> Violations, string Text);

/// <summary>
/// One seeded chaos run: start Kiln, run the seed's fault schedule under concurrent traffic, stop the
/// faults, let an operator re-initialize what is down, wait for the bound, then check the invariants.
/// </summary>
internal sealed partial class ChaosRun(ChaosSettings settings, Action<string> log)
{
    private readonly Stopwatch clock = new();
    private readonly List<(FaultStep Step, TimeSpan Actual)> executed = [];
    private readonly List<Violation> violations = [];
    private readonly Ledger ledger = new();
    private DateTimeOffset startedUtc;

    public async Task<ChaosReport> RunAsync()
    {
        clock.Start();
        startedUtc = DateTimeOffset.UtcNow;
        log($"chaos run: seed {settings.Seed}, {settings.Duration.TotalSeconds:0.#} s of faults, {settings.Workers} workers; reproduce with {settings.ReproduceCommand()}");
        var cluster = await ChaosCluster.CreateAsync(settings, log);
        var keep = settings.KeepDirectory;
        IReadOnlyList<FaultStep> steps = [];
        var stats = "";
        try
        {
            steps = FaultSchedule.Build(settings, cluster.DatabaseFillUnavailable is null);
            if (cluster.DatabaseFillUnavailable is { } why)
            {
                log($"WARNING: {why}");
            }

            log($"schedule: {steps.Count} steps ({string.Join(", ", steps.GroupBy(s => s.Kind).Select(g => $"{g.Count()} {g.Key}"))})");
            stats = await RunScheduleAsync(cluster, steps);
            keep |= violations.Count > 0;
        }
        catch (Exception ex)
        {
            violations.Add(new Violation("the harness completes", $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}\nkiln output (tail):\n{Tail(cluster.Output)}"));
            keep = true;
        }
        finally
        {
            await cluster.DisposeAsync();
            if (keep)
            {
                log($"run files kept in {cluster.Root}");
            }
            else
            {
                cluster.DeleteFiles();
            }
        }

        var report = Report(steps, stats);
        if (settings.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, report);
        }

        return new ChaosReport(settings, violations, report);
    }

    private async Task<string> RunScheduleAsync(ChaosCluster cluster, IReadOnlyList<FaultStep> steps)
    {
        await cluster.StartAsync();
        var api = new ChaosApi(cluster, clock);
        var monitor = new BackendMonitor(api, clock);
        await WaitReadyAsync(monitor, ChaosSettings.AllBackends, TimeSpan.FromSeconds(60), reinit: null);
        foreach (var backend in ChaosSettings.AllBackends)
        {
            var created = await api.CreateTypeAsync(Traffic.TypeOf(backend), backend);
            if (created.Status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"creating volume type for {backend} answered {created.Status}: {created.Body}");
            }
        }

        using var stopTraffic = new CancellationTokenSource();
        using var stopMonitor = new CancellationTokenSource();
        var monitoring = monitor.RunAsync(stopMonitor.Token);
        var traffic = new Traffic(api, ledger, settings, clock).RunAsync(stopTraffic.Token);
        var start = clock.Elapsed;
        ledger.GlobalWindows.Enqueue((TimeSpan.Zero, start, "start-up"));
        TimeSpan? filledAt = null;
        var restarts = new List<Task>();
        foreach (var step in steps)
        {
            var due = start + step.At - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            if (cluster.ExitedUnexpectedly is { } exit)
            {
                violations.Add(new Violation(Invariants.ProcessLives, exit, clock.Elapsed));
                await cluster.KillAndRestartAsync();
            }

            // A step that ran late (a restart takes seconds) delays the rest, so the faults keep their spacing.
            if (clock.Elapsed - (start + step.At) > TimeSpan.FromSeconds(0.5))
            {
                start = clock.Elapsed - step.At;
            }

            executed.Add((step, clock.Elapsed));
            switch (step.Kind)
            {
                case FaultKind.Control:
                    cluster.WriteControl(step.Backend!, step.Control!);
                    break;
                case FaultKind.Unreachable:
                    cluster.MakeUnreachable(step.Backend!);
                    break;
                case FaultKind.Heal:
                    cluster.Heal(step.Backend!);
                    break;
                case FaultKind.Reinit:
                    monitor.NoteReset(step.Backend, "reinit");
                    await api.ReinitAsync(step.Backend!);
                    break;
                case FaultKind.Kill:
                    var killedAt = clock.Elapsed;
                    monitor.NoteReset(null, "kill");
                    await cluster.KillAndRestartAsync();

                    // The window lasts until the clean backends are ready again; the schedule goes on meanwhile.
                    restarts.Add(Task.Run(async () =>
                    {
                        await WaitReadyAsync(monitor, [.. ChaosSettings.AllBackends.Where(ChaosSettings.IsClean)], TimeSpan.FromSeconds(60), reinit: null);
                        ledger.GlobalWindows.Enqueue((killedAt, clock.Elapsed + TimeSpan.FromSeconds(1), "kill -9 and restart"));
                    }));
                    break;
                case FaultKind.FillDatabase:
                    // Never while a restart is still initializing: one process-wide fault at a time.
                    await Task.WhenAll(restarts);
                    filledAt = clock.Elapsed;
                    cluster.FillDatabase();
                    log($"{step}: database filesystem full");
                    break;
                case FaultKind.FreeDatabase:
                    cluster.FreeDatabase();
                    ledger.GlobalWindows.Enqueue((filledAt ?? clock.Elapsed, clock.Elapsed + TimeSpan.FromSeconds(2), "database full"));
                    filledAt = null;
                    break;
            }
        }

        var end = start + settings.Duration - clock.Elapsed;
        if (end > TimeSpan.Zero)
        {
            await Task.Delay(end);
        }

        // Faults stop: traffic first (requests cut here are not judged as failures), then every fault is undone.
        var trafficStopped = clock.Elapsed;
        await stopTraffic.CancelAsync();
        await traffic;
        await Task.WhenAll(restarts);
        await stopMonitor.CancelAsync();
        await monitoring;
        if (filledAt is { } filled)
        {
            cluster.FreeDatabase();
            ledger.GlobalWindows.Enqueue((filled, clock.Elapsed + TimeSpan.FromSeconds(2), "database full"));
        }

        foreach (var backend in ChaosSettings.FaultyBackends)
        {
            cluster.Heal(backend);
        }

        if (cluster.ExitedUnexpectedly is { } exited)
        {
            violations.Add(new Violation(Invariants.ProcessLives, exited, clock.Elapsed));
            await cluster.KillAndRestartAsync();
        }

        // The operator's part: re-initialize whatever is not ready (gave_up and unrecoverable wait for one).
        var healedAt = clock.Elapsed;
        var notReady = await WaitReadyAsync(monitor, ChaosSettings.AllBackends, settings.SettleBound, reinit: api);
        foreach (var (backend, state) in notReady)
        {
            violations.Add(new Violation(Invariants.BackendsRecover, $"{backend} still {state} {settings.SettleBound.TotalSeconds:0} s after faults stopped and re-initialization was asked", healedAt));
        }

        var (volumes, snapshots) = await SettleAsync(api, settings.SettleBound - (clock.Elapsed - healedAt));
        foreach (var resource in volumes.Concat(snapshots).Where(r => IsTransitional(InvariantChecks.Status(r))))
        {
            var id = InvariantChecks.Id(resource);
            var kind = resource.TryGetProperty("volume_id", out _) ? "snapshot" : "volume";
            var history = ledger.Volumes.TryGetValue(id, out var tracked) ? $"; history: {string.Join("; ", tracked.History)}" : "";
            violations.Add(new Violation(
                Invariants.NothingStuck,
                $"{kind} {id} still {InvariantChecks.Status(resource)} {settings.SettleBound.TotalSeconds:0} s after faults stopped{(kind == "volume" ? $" (on {InvariantChecks.BackendOf(resource) ?? "no backend"})" : "")}{history}",
                LastTouched(id)));
        }

        var final = new FinalState(
            volumes,
            snapshots,
            ChaosSettings.AllBackends.Where(b => b != ChaosSettings.FileBackend).ToDictionary(b => b, cluster.ReadFaultBackend),
            cluster.ReadFileBackend());
        violations.AddRange(InvariantChecks.DatabaseMatchesDriver(final).Select(v => WithHistory(v with { At = v.At ?? LastTouched(IdIn(v.Detail)) })));
        violations.AddRange(InvariantChecks.NothingLost(ledger, final));
        var observations = monitor.Observations.ToList();
        violations.AddRange(InvariantChecks.Budget(observations));
        violations.AddRange(InvariantChecks.NoAttemptAfterGivingUp(ledger, observations, [.. monitor.Resets], cluster.SetupCalls));
        violations.AddRange(InvariantChecks.CleanBackendsUnaffected(ledger, observations, trafficStopped));
        violations.AddRange(ledger.BothAccepted.Select(b => WithHistory(new Violation(Invariants.OneWins, b.What, b.At))));
        // A full database is refused with 503 (and Retry-After): Kiln declares what it cannot do rather than erring.
        // Any other status of 500 or more, and a 503 outside a full-database window, is a violation.
        violations.AddRange(api.ServerErrors.Where(e => !(e.Status == 503 && DuringDatabaseFull(e.At))).Select(e => new Violation(
            Invariants.NoServerError,
            $"{e.Request} answered {e.Status} at {e.At.TotalSeconds:0.00}s{Window(e.At)}: {(e.Body.Length == 0 ? "(empty body)" : e.Body)}",
            e.At)));
        if (cluster.ExitedUnexpectedly is { } late)
        {
            violations.Add(new Violation(Invariants.ProcessLives, late, clock.Elapsed));
        }

        var requests = ledger.Requests.ToList();
        return string.Join(", ", requests.GroupBy(r => r.Operation).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count(r => r.Succeeded)}/{g.Count()}")) + $"; {volumes.Count} volumes and {snapshots.Count} snapshots at the end";
    }

    /// <summary>Polls until every named backend is ready; with <paramref name="reinit"/>, asks for a re-initialization of those that are not.</summary>
    private async Task<Dictionary<string, string>> WaitReadyAsync(BackendMonitor monitor, IReadOnlyCollection<string> backends, TimeSpan bound, ChaosApi? reinit)
    {
        var started = clock.Elapsed;
        TimeSpan? lastReinit = null;
        var pauses = new Poll.Pauses();
        var notReady = backends.ToDictionary(b => b, _ => "not answering");
        while (clock.Elapsed - started < bound)
        {
            if (await monitor.PollOnceAsync() is { } states)
            {
                notReady = backends.Where(b => states.GetValueOrDefault(b) is not "ready").ToDictionary(b => b, b => states.GetValueOrDefault(b) ?? "absent");
                if (notReady.Count == 0)
                {
                    return notReady;
                }

                if (reinit is not null && (lastReinit is null || clock.Elapsed - lastReinit > TimeSpan.FromSeconds(settings.DriverTimeoutSeconds + 1)))
                {
                    lastReinit = clock.Elapsed;
                    foreach (var (backend, state) in notReady.Where(b => b.Value is not "initializing"))
                    {
                        monitor.NoteReset(backend, "operator reinit after faults stopped");
                        await reinit.ReinitAsync(backend);
                    }
                }
            }

            await pauses.NextAsync();
        }

        return notReady;
    }

    private async Task<(IReadOnlyList<System.Text.Json.JsonElement> Volumes, IReadOnlyList<System.Text.Json.JsonElement> Snapshots)> SettleAsync(ChaosApi api, TimeSpan bound)
    {
        var started = clock.Elapsed;
        var pauses = new Poll.Pauses();
        while (true)
        {
            var volumes = await api.ListAllAsync("volumes");
            var snapshots = await api.ListAllAsync("snapshots");
            if (!volumes.Concat(snapshots).Any(r => IsTransitional(InvariantChecks.Status(r))) || clock.Elapsed - started > bound)
            {
                return (volumes, snapshots);
            }

            await pauses.NextAsync();
        }
    }

    private bool DuringDatabaseFull(TimeSpan at) =>
        ledger.GlobalWindows.Any(w => at >= w.Start && at <= w.End && w.What == "database full");

    private string Window(TimeSpan at) =>
        ledger.GlobalWindows.Where(w => at >= w.Start && at <= w.End).Select(w => $" (during {w.What})").FirstOrDefault() ?? "";

    private Violation WithHistory(Violation violation) =>
        IdIn(violation.Detail) is { } id && ledger.Volumes.TryGetValue(id, out var volume)
            ? violation with { Detail = $"{violation.Detail}; history: {string.Join("; ", volume.History)}" }
            : violation;

    private static bool IsTransitional(string status) => status is "creating" or "deleting" or "extending";

    private TimeSpan? LastTouched(string? id)
    {
        if (id is null)
        {
            return null;
        }

        var times = ledger.Requests.Where(r => r.Resource == id).Select(r => r.Start).ToList();
        if (ledger.Volumes.TryGetValue(id, out var volume))
        {
            times.Add(volume.AckedAt);
        }

        return times.Count > 0 ? times.Max() : null;
    }

    private static string? IdIn(string detail)
    {
        var words = detail.Split(' ');
        var index = Array.FindIndex(words, w => w is "volume" or "snapshot");
        return index >= 0 && index + 1 < words.Length ? words[index + 1] : null;
    }

    private string Report(IReadOnlyList<FaultStep> steps, string stats)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"chaos seed {settings.Seed}, {settings.Duration.TotalSeconds:0.#} s, {executed.Count}/{steps.Count} fault steps run, wall time {clock.Elapsed.TotalSeconds:0.0} s (run time 0 = {startedUtc:HH:mm:ss.fff} UTC)");
        text.AppendLine(CultureInfo.InvariantCulture, $"requests (ended as asked/sent): {stats}");
        text.AppendLine(CultureInfo.InvariantCulture, $"process-wide fault windows: {string.Join(", ", ledger.GlobalWindows.Select(w => $"{w.What} {w.Start.TotalSeconds:0.0}-{w.End.TotalSeconds:0.0}s"))}");
        if (violations.Count == 0)
        {
            text.AppendLine("all invariants held");
            return text.ToString();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{violations.Count} VIOLATION(S):");
        foreach (var group in violations.GroupBy(v => v.Invariant))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {group.Key}: {group.Count()}");
            if (group.Key == Invariants.NoServerError)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    by request: {string.Join(", ", group.GroupBy(v => Ids().Replace(v.Detail.Split(" answered ")[0], "{id}") + Window(v.At ?? TimeSpan.Zero)).Select(g => $"{g.Key} ×{g.Count()}"))}");
            }

            foreach (var violation in group.Take(8))
            {
                var step = violation.At is { } at ? executed.LastOrDefault(e => e.Actual <= at).Step : null;
                var reproduce = step is null ? settings.ReproduceCommand() : settings.ReproduceCommand(step.Index + 1);
                text.AppendLine(CultureInfo.InvariantCulture, $"    {violation.Detail}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      last fault step before it: {step?.ToString() ?? "none"}; reproduce: {reproduce}");
            }
        }

        text.AppendLine("schedule as run:");
        foreach (var (step, actual) in executed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {step} (ran at {actual.TotalSeconds:0.0}s)");
        }

        return text.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial System.Text.RegularExpressions.Regex Ids();

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];
}
