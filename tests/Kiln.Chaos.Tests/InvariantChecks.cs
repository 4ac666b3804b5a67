using System.Globalization;
using System.Text.Json;

namespace Kiln.Chaos.Tests;

/// <summary>What the database and the drivers hold after the run settled.</summary>
internal sealed record FinalState(
    IReadOnlyList<JsonElement> Volumes,
    IReadOnlyList<JsonElement> Snapshots,
    IReadOnlyDictionary<string, (Dictionary<string, int> Volumes, Dictionary<string, string> Snapshots)> FaultBackends,
    (Dictionary<string, long> VolumeBytes, HashSet<string> Snapshots) FileBackend);

/// <summary>The invariants, judged from the ledger, the monitor's observations and the final state.</summary>
internal static class InvariantChecks
{
    private const long GiB = 1L << 30;

    public static IEnumerable<Violation> DatabaseMatchesDriver(FinalState state)
    {
        var volumeRows = state.Volumes.ToDictionary(v => Id(v));
        var snapshotRows = state.Snapshots.ToDictionary(s => Id(s));
        foreach (var volume in state.Volumes)
        {
            var (id, status, size) = (Id(volume), Status(volume), volume.GetProperty("size").GetInt32());
            if (BackendOf(volume) is not { } backend)
            {
                continue;
            }

            var held = HeldSize(state, backend, id);
            var where = $"volume {id} on {backend} is {status} with size {size} in the database";
            switch (status)
            {
                case "available" or "error_extending" when held is null:
                    yield return new Violation(Invariants.DatabaseMatchesDriver, $"{where}, but the driver does not have it{Reason(volume)}");
                    break;
                case "available" or "error_extending" when held != size:
                    yield return new Violation(Invariants.DatabaseMatchesDriver, $"{where}, but the driver holds {held} GB{Reason(volume)}");
                    break;
            }

            // A failed delete proves nothing about the storage (the create may have failed first), but a
            // volume with a usable snapshot must still be on its backend.
            if (held is null && state.Snapshots.Any(s => s.GetProperty("volume_id").GetString() == id && Status(s) == "available"))
            {
                yield return new Violation(Invariants.DatabaseMatchesDriver, $"{where} and has an available snapshot, but the driver no longer has the volume{Reason(volume)}");
            }
        }

        foreach (var snapshot in state.Snapshots)
        {
            var (id, status, volumeId) = (Id(snapshot), Status(snapshot), snapshot.GetProperty("volume_id").GetString()!);
            if (!volumeRows.TryGetValue(volumeId, out var volume))
            {
                yield return new Violation(Invariants.DatabaseMatchesDriver, $"snapshot {id} ({status}) belongs to volume {volumeId}, which the database no longer has{Reason(snapshot)}");
                continue;
            }

            // As for volumes, a failed delete proves nothing about the storage; an available snapshot must be there.
            if (status == "available" && BackendOf(volume) is { } backend && !HoldsSnapshot(state, backend, id))
            {
                yield return new Violation(Invariants.DatabaseMatchesDriver, $"snapshot {id} of volume {volumeId} on {backend} is {status} in the database, but the driver does not have it{Reason(snapshot)}");
            }
        }

        // The other way round: storage the database does not know is leaked (an orphan).
        foreach (var (backend, (volumes, snapshots)) in state.FaultBackends)
        {
            foreach (var (id, size) in volumes.Where(v => !volumeRows.ContainsKey(v.Key)))
            {
                yield return new Violation(Invariants.DatabaseMatchesDriver, $"driver of {backend} holds volume {id} ({size} GB), which the database does not have (orphan)");
            }

            foreach (var (id, volumeId) in snapshots.Where(s => !snapshotRows.ContainsKey(s.Key)))
            {
                yield return new Violation(Invariants.DatabaseMatchesDriver, $"driver of {backend} holds snapshot {id} of volume {volumeId}, which the database does not have (orphan)");
            }
        }

        foreach (var id in state.FileBackend.VolumeBytes.Keys.Where(id => !volumeRows.ContainsKey(id)))
        {
            yield return new Violation(Invariants.DatabaseMatchesDriver, $"file backend holds volume-{id}, which the database does not have (orphan file)");
        }

        foreach (var id in state.FileBackend.Snapshots.Where(id => !snapshotRows.ContainsKey(id)))
        {
            yield return new Violation(Invariants.DatabaseMatchesDriver, $"file backend holds snapshot-{id}, which the database does not have (orphan file)");
        }
    }

    public static IEnumerable<Violation> NothingLost(Ledger ledger, FinalState state)
    {
        var volumes = state.Volumes.Select(Id).ToHashSet();
        var snapshots = state.Snapshots.Select(Id).ToHashSet();
        foreach (var volume in ledger.Volumes.Values.Where(v => !v.MayBeGone && !volumes.Contains(v.Id)))
        {
            yield return new Violation(
                Invariants.NothingLost,
                $"volume {volume.Id} on {volume.Backend} was acknowledged at {volume.AckedAt.TotalSeconds:0.00}s and never deleted, but is gone; history: {string.Join("; ", volume.History)}",
                volume.AckedAt);
        }

        foreach (var snapshot in ledger.Snapshots.Values.Where(s => !s.MayBeGone && !snapshots.Contains(s.Id)))
        {
            yield return new Violation(
                Invariants.NothingLost,
                $"snapshot {snapshot.Id} of volume {snapshot.VolumeId} on {snapshot.Backend} was acknowledged at {snapshot.AckedAt.TotalSeconds:0.00}s and never deleted, but is gone",
                snapshot.AckedAt);
        }
    }

    public static IEnumerable<Violation> Budget(IEnumerable<BackendObservation> observations) =>
        observations
            .Where(o => o.Budget > 0 && o.Attempts > o.Budget)
            .GroupBy(o => o.Backend)
            .Select(g => g.First())
            .Select(o => new Violation(Invariants.BudgetKept, $"{o.Backend}: reinit_attempts {o.Attempts} with reinit_budget {o.Budget} (state {o.State})", o.At));

    /// <summary>
    /// After unrecoverable or gave_up is seen, no do_setup until the harness's next restart or re-init request.
    /// A re-init is answered 202 before the backend's loop takes it, so a look between the request and the
    /// attempt it starts still shows the old state: such a look (a request before it, no do_setup since) is not judged.
    /// </summary>
    public static IEnumerable<Violation> NoAttemptAfterGivingUp(
        Ledger ledger,
        IEnumerable<BackendObservation> observations, IReadOnlyCollection<(string? Backend, long UnixMs, string Why)> resets, Func<string, IReadOnlyList<long>> setupCalls)
    {
        // While the database cannot be written the service record lags behind the backend, so looks taken
        // inside a process-wide fault window are not judged; every look after it is.
        foreach (var group in observations.Where(o => o.State is "unrecoverable" or "gave_up" && !ledger.InGlobalWindow(o.At, o.At)).GroupBy(o => o.Backend))
        {
            var calls = setupCalls(group.Key);
            var mine = resets.Where(r => r.Backend is null || r.Backend == group.Key).Select(r => r.UnixMs).ToList();
            foreach (var observation in group)
            {
                var lastReset = mine.Where(r => r < observation.SentUnixMs).DefaultIfEmpty(long.MinValue).Max();
                if (lastReset != long.MinValue && !calls.Any(c => c >= lastReset && c <= observation.UnixMs))
                {
                    // The request before this look had not been taken yet when the look was answered.
                    continue;
                }

                var nextReset = mine.Where(r => r >= observation.SentUnixMs).DefaultIfEmpty(long.MaxValue).Min();
                var again = calls.Where(c => c > observation.UnixMs && c < nextReset).ToList();
                if (again.Count > 0)
                {
                    yield return new Violation(
                        Invariants.NoAttemptAfterGivingUp,
                        $"{group.Key} was {observation.State} on os-services at {observation.At.TotalSeconds:0.00}s ({DateTimeOffset.FromUnixTimeMilliseconds(observation.UnixMs):HH:mm:ss.fff}), yet do_setup ran {again.Count} more time(s) before any operator request (first at {DateTimeOffset.FromUnixTimeMilliseconds(again[0]):HH:mm:ss.fff})",
                        observation.At);
                    break;
                }
            }
        }
    }

    public static IEnumerable<Violation> CleanBackendsUnaffected(Ledger ledger, IEnumerable<BackendObservation> observations, TimeSpan trafficStopped)
    {
        foreach (var request in ledger.Requests.Where(r => ChaosSettings.IsClean(r.Backend) && !r.Race && r.End < trafficStopped && !r.Succeeded))
        {
            if (ledger.InGlobalWindow(request.Start, request.End))
            {
                continue;
            }

            var status = request.Status is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "no answer";
            yield return new Violation(
                Invariants.CleanBackendsUnaffected,
                $"{request.Operation} on clean backend {request.Backend} ({request.Resource ?? "new volume"}) at {request.Start.TotalSeconds:0.00}s: HTTP {status}, ended {request.Final}, expected {request.Expected}",
                request.Start);
        }

        foreach (var group in observations.Where(o => ChaosSettings.IsClean(o.Backend) && o.State != "ready" && !ledger.InGlobalWindow(o.At, o.At)).GroupBy(o => o.Backend))
        {
            var first = group.First();
            yield return new Violation(Invariants.CleanBackendsUnaffected, $"clean backend {first.Backend} was {first.State} at {first.At.TotalSeconds:0.00}s ({group.Count()} observations not ready)", first.At);
        }
    }

    public static string Id(JsonElement resource) => resource.GetProperty("id").GetString()!;

    public static string Status(JsonElement resource) => resource.GetProperty("status").GetString()!;

    public static string Reason(JsonElement resource) =>
        resource.TryGetProperty("error_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? $" (error_reason: {reason.GetString()})" : "";

    /// <summary>The backend name from <c>host@backend#pool</c>, or null for a volume never placed.</summary>
    public static string? BackendOf(JsonElement volume) =>
        volume.TryGetProperty("os-vol-host-attr:host", out var host) && host.GetString() is { } text ? text.Split('@')[1].Split('#')[0] : null;

    private static int? HeldSize(FinalState state, string backend, string id)
    {
        if (backend == ChaosSettings.FileBackend)
        {
            return state.FileBackend.VolumeBytes.TryGetValue(id, out var bytes) ? (int)(bytes / GiB) : null;
        }

        return state.FaultBackends.TryGetValue(backend, out var held) && held.Volumes.TryGetValue(id, out var size) ? size : null;
    }

    private static bool HoldsSnapshot(FinalState state, string backend, string id) =>
        backend == ChaosSettings.FileBackend
            ? state.FileBackend.Snapshots.Contains(id)
            : state.FaultBackends.TryGetValue(backend, out var held) && held.Snapshots.ContainsKey(id);
}
