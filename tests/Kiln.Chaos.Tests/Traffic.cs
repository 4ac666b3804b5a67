using System.Diagnostics;
using System.Net;

namespace Kiln.Chaos.Tests;

/// <summary>
/// Concurrent API traffic: each worker creates volumes on random backends (a volume type per backend)
/// and works on its own volumes only — delete, extend, snapshot, clone, create from snapshot, reset —
/// so that no two workers race on one volume except in the deliberate race operations. Each request
/// is followed until its resource leaves its transitional status (or the wait bound passes).
/// </summary>
internal sealed class Traffic(ChaosApi api, Ledger ledger, ChaosSettings settings, Stopwatch clock)
{
    private const string Gone = "gone";

    /// <summary>
    /// The pace of the traffic, not a wait for a condition: a worker's pause after a quick answer (a
    /// refusal from a killed process or a full database must not become a busy loop that starves Kiln
    /// of the two cores it shares with the harness), and between two looks at a transitional status.
    /// The run lasts its fixed duration whatever these are; they set how many requests it makes.
    /// </summary>
    private static readonly TimeSpan QuickAnswerPause = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan SlowAnswerPause = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan StatusPause = TimeSpan.FromMilliseconds(100);

    public static string TypeOf(string backend) => $"chaos-{backend}";

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(w => Task.Run(() => WorkerAsync(w, stop), CancellationToken.None)));

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(settings.Seed, worker));
        var backends = ChaosSettings.AllBackends.ToArray();
        var mine = new List<TrackedVolume>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                mine.RemoveAll(v => v.MayBeGone);
                var began = clock.Elapsed;
                if (mine.Count < 3 || random.Next(100) < 25)
                {
                    await CreateAsync(backends[random.Next(backends.Length)], random, mine, stop);
                }
                else
                {
                    await WorkOnAsync(mine[random.Next(mine.Count)], random, mine, stop);
                }

                // Paced, so that refusals (a killed process, a full database) do not become a busy loop
                // that starves Kiln of the two cores it shares with the harness.
                await Task.Delay(clock.Elapsed - began < TimeSpan.FromMilliseconds(50) ? QuickAnswerPause : SlowAnswerPause, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CreateAsync(string backend, Random random, List<TrackedVolume> mine, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.CreateVolumeAsync(1 + random.Next(2), TypeOf(backend));
        if (Track(result, backend, start) is { } volume)
        {
            mine.Add(volume);
            var final = await WaitVolumeAsync(volume.Id, stop);
            Record("create", backend, volume.Id, start, result, final, "available");
        }
        else
        {
            Record("create", backend, null, start, result, "-", "available");
        }
    }

    private async Task WorkOnAsync(TrackedVolume volume, Random random, List<TrackedVolume> mine, CancellationToken stop)
    {
        // Decide on the truth: an earlier wait may have timed out, or a kill may have hidden an answer.
        var shown = await api.ShowVolumeAsync(volume.Id);
        if (shown.Status == HttpStatusCode.NotFound)
        {
            volume.MayBeGone = true;
            return;
        }

        if (shown.Status != HttpStatusCode.OK)
        {
            await Task.Delay(StatusPause, stop);
            return;
        }

        var status = shown.Body.GetProperty("volume").GetProperty("status").GetString()!;
        var size = shown.Body.GetProperty("volume").GetProperty("size").GetInt32();
        var all = await SnapshotsOfAsync(volume.Id);
        var snapshots = all.Select(s => s.Id).ToList();
        var usable = all.Where(s => s.Status == "available").Select(s => s.Id).ToList();
        var roll = random.Next(100);
        switch (status)
        {
            case "available" when snapshots.Count > 0 && roll < 40:
                await DeleteSnapshotAsync(volume, snapshots[random.Next(snapshots.Count)], stop);
                break;
            case "available" when usable.Count > 0 && roll < 55:
                await CloneAsync(volume, size, usable[random.Next(usable.Count)], mine, stop);
                break;
            case "available" when roll < 25 && snapshots.Count == 0:
                await DeleteAsync(volume, stop);
                break;
            case "available" when roll < 45:
                await ExtendAsync(volume, size + 1, stop);
                break;
            case "available" when roll < 62:
                await SnapshotAsync(volume, stop);
                break;
            case "available" when roll < 75:
                await CloneAsync(volume, size, null, mine, stop);
                break;
            case "available" when roll < 85 && snapshots.Count == 0:
                await RaceAsync(volume, size, random.Next(2) == 0, mine, stop);
                break;
            case "available" when roll < 88:
                await ResetToErrorAsync(volume, stop);
                break;
            case "available":
                await ExtendAsync(volume, size + 1, stop);
                break;
            case "error" or "error_extending" or "error_deleting" when snapshots.Count > 0:
                await DeleteSnapshotAsync(volume, snapshots[random.Next(snapshots.Count)], stop);
                break;
            case "error" or "error_extending" or "error_deleting":
                await DeleteAsync(volume, stop);
                break;
            default:
                // Still transitional: leave it to Kiln (the invariants check it ends).
                await Task.Delay(StatusPause, stop);
                break;
        }
    }

    private async Task DeleteAsync(TrackedVolume volume, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.DeleteVolumeAsync(volume.Id);
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s delete → {Code(result)}");
        if (result.Accepted || result.Status is null)
        {
            volume.MayBeGone = true;
        }

        var final = result.Accepted ? await WaitVolumeAsync(volume.Id, stop) : "-";
        Record("delete", volume.Backend, volume.Id, start, result, final, Gone);
    }

    private async Task ExtendAsync(TrackedVolume volume, int newSize, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.ExtendAsync(volume.Id, newSize);
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s extend to {newSize} → {Code(result)}");
        var final = "-";
        if (result.Accepted)
        {
            final = await WaitVolumeAsync(volume.Id, stop);
            if (final == "available")
            {
                var shown = await api.ShowVolumeAsync(volume.Id);
                final = shown.Status == HttpStatusCode.OK && shown.Body.GetProperty("volume").GetProperty("size").GetInt32() == newSize ? final : "available with the old size";
            }
        }

        Record("extend", volume.Backend, volume.Id, start, result, final, "available");
    }

    private async Task SnapshotAsync(TrackedVolume volume, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.CreateSnapshotAsync(volume.Id);
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s snapshot → {Code(result)}");
        var final = "-";
        if (result.Accepted && TrackSnapshot(result, volume, start) is { } snapshot)
        {
            final = await WaitSnapshotAsync(snapshot, stop);
        }

        Record("snapshot", volume.Backend, volume.Id, start, result, final, "available");
    }

    private async Task DeleteSnapshotAsync(TrackedVolume volume, string snapshotId, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.DeleteSnapshotAsync(snapshotId);
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s delete snapshot {snapshotId} → {Code(result)}");
        if ((result.Accepted || result.Status is null) && ledger.Snapshots.TryGetValue(snapshotId, out var tracked))
        {
            tracked.MayBeGone = true;
        }

        var final = result.Accepted ? await WaitSnapshotAsync(new TrackedSnapshot(snapshotId, volume.Id, volume.Backend, start), stop) : "-";
        Record("delete snapshot", volume.Backend, snapshotId, start, result, final, Gone);
    }

    private async Task CloneAsync(TrackedVolume source, int size, string? snapshotId, List<TrackedVolume> mine, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = snapshotId is null
            ? await api.CreateVolumeAsync(size, TypeOf(source.Backend), sourceVolume: source.Id)
            : await api.CreateVolumeAsync(size, TypeOf(source.Backend), snapshot: snapshotId);
        var operation = snapshotId is null ? "clone" : "create from snapshot";
        source.History.Enqueue($"{start.TotalSeconds:0.00}s {operation} → {Code(result)}");
        var final = "-";
        if (Track(result, source.Backend, start) is { } clone)
        {
            mine.Add(clone);
            final = await WaitVolumeAsync(clone.Id, stop);
        }

        Record(operation, source.Backend, source.Id, start, result, final, "available");
    }

    private async Task ResetToErrorAsync(TrackedVolume volume, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var result = await api.ResetStatusAsync(volume.Id, "error");
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s reset to error → {Code(result)}");
        var final = result.Accepted ? await WaitVolumeAsync(volume.Id, stop) : "-";
        Record("reset", volume.Backend, volume.Id, start, result, final, "error");
    }

    /// <summary>Delete and a snapshot (or a clone) of the same volume at once: exactly one wins, or (clone) the clone was complete first.</summary>
    private async Task RaceAsync(TrackedVolume volume, int size, bool withSnapshot, List<TrackedVolume> mine, CancellationToken stop)
    {
        var start = clock.Elapsed;
        var other = withSnapshot ? api.CreateSnapshotAsync(volume.Id) : api.CreateVolumeAsync(size, TypeOf(volume.Backend), sourceVolume: volume.Id);
        var delete = api.DeleteVolumeAsync(volume.Id);
        var (otherResult, deleteResult) = (await other, await delete);
        var what = withSnapshot ? "snapshot" : "clone";
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s race delete ‖ {what} → {Code(deleteResult)} ‖ {Code(otherResult)}");
        if (deleteResult.Accepted || deleteResult.Status is null)
        {
            volume.MayBeGone = true;
        }

        // A snapshot pins its volume, so delete and snapshot can never both be accepted. A clone pins its
        // source only while it is being created: both may be accepted when the clone was already
        // complete when the delete was decided, and then the clone must end available.
        if (withSnapshot && deleteResult.Accepted && otherResult.Accepted)
        {
            ledger.BothAccepted.Enqueue((start, $"volume {volume.Id} on {volume.Backend}: delete ‖ {what} both answered 202 at {start.TotalSeconds:0.00}s"));
        }

        if (withSnapshot && otherResult.Accepted && TrackSnapshot(otherResult, volume, start) is { } snapshot)
        {
            Record("race snapshot", volume.Backend, snapshot.Id, start, otherResult, await WaitSnapshotAsync(snapshot, stop), "available", race: true);
        }
        else if (!withSnapshot && Track(otherResult, volume.Backend, start) is { } clone)
        {
            mine.Add(clone);
            var cloneFinal = await WaitVolumeAsync(clone.Id, stop);
            Record("race clone", volume.Backend, clone.Id, start, otherResult, cloneFinal, "available", race: true);
            if (deleteResult.Accepted && cloneFinal != "available" && await LostSourceAsync(clone.Id) is { } reason)
            {
                ledger.BothAccepted.Enqueue((start, $"volume {volume.Id} on {volume.Backend}: delete ‖ clone both answered 202 at {start.TotalSeconds:0.00}s and the clone {clone.Id} ended {cloneFinal}: {reason}"));
            }
        }

        var final = deleteResult.Accepted ? await WaitVolumeAsync(volume.Id, stop) : "-";
        Record("race delete", volume.Backend, volume.Id, start, deleteResult, final, Gone, race: true);
    }

    /// <summary>The clone's error reason when it failed because its source was gone (an injected fault is not that); else null.</summary>
    private async Task<string?> LostSourceAsync(string cloneId)
    {
        var shown = await api.ShowVolumeAsync(cloneId);
        if (shown.Status != HttpStatusCode.OK
            || !shown.Body.GetProperty("volume").TryGetProperty("error_reason", out var property)
            || property.GetString() is not { } reason)
        {
            return null;
        }

        return reason.Contains("no longer exists", StringComparison.Ordinal) || reason.Contains("not found", StringComparison.Ordinal) ? reason : null;
    }

    private TrackedVolume? Track(ApiResult result, string backend, TimeSpan start)
    {
        if (!result.Accepted)
        {
            return null;
        }

        var id = result.Body.GetProperty("volume").GetProperty("id").GetString()!;
        var volume = new TrackedVolume(id, backend, start);
        volume.History.Enqueue($"{start.TotalSeconds:0.00}s create acknowledged");
        ledger.Volumes[id] = volume;
        return volume;
    }

    private TrackedSnapshot? TrackSnapshot(ApiResult result, TrackedVolume volume, TimeSpan start)
    {
        var id = result.Body.GetProperty("snapshot").GetProperty("id").GetString()!;
        var snapshot = new TrackedSnapshot(id, volume.Id, volume.Backend, start);
        ledger.Snapshots[id] = snapshot;
        return snapshot;
    }

    private async Task<List<(string Id, string Status)>> SnapshotsOfAsync(string volumeId)
    {
        var result = await api.ListSnapshotsOfAsync(volumeId);
        return result.Status == HttpStatusCode.OK
            ? [.. result.Body.GetProperty("snapshots").EnumerateArray().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("status").GetString()!))]
            : [];
    }

    private Task<string> WaitVolumeAsync(string id, CancellationToken stop) =>
        WaitAsync(() => api.ShowVolumeAsync(id), "volume", stop);

    private Task<string> WaitSnapshotAsync(TrackedSnapshot snapshot, CancellationToken stop) =>
        WaitAsync(() => api.ShowSnapshotAsync(snapshot.Id), "snapshot", stop);

    /// <summary>The resource's first non-transitional status, "gone", or "still &lt;status&gt;" after the wait bound.</summary>
    private async Task<string> WaitAsync(Func<Task<ApiResult>> show, string kind, CancellationToken stop)
    {
        var deadline = clock.Elapsed + settings.OperationWait;
        var last = "unknown";
        while (clock.Elapsed < deadline && !stop.IsCancellationRequested)
        {
            var result = await show();
            if (result.Status == HttpStatusCode.NotFound)
            {
                return Gone;
            }

            if (result.Status == HttpStatusCode.OK)
            {
                last = result.Body.GetProperty(kind).GetProperty("status").GetString()!;
                if (last is not ("creating" or "deleting" or "extending"))
                {
                    return last;
                }
            }

            await Task.Delay(StatusPause, CancellationToken.None);
        }

        return $"still {last}";
    }

    private void Record(string operation, string backend, string? resource, TimeSpan start, ApiResult result, string final, string expected, bool race = false) =>
        ledger.Requests.Enqueue(new RequestRecord(operation, backend, resource, start, clock.Elapsed, result.Status, final, expected, race));

    private static string Code(ApiResult result) => result.Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer";
}
