using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Kiln.Failover.Tests;

/// <summary>
/// Clients running create → extend → snapshot → delete snapshot → delete volume cycles, each preferring
/// its own API node and failing over to the other. Every acknowledged request goes into the <see cref="Ledger"/>;
/// a client follows each resource until it leaves its transitional status (bounded), then goes on.
/// </summary>
internal sealed class Traffic(IReadOnlyList<KilnNode> apiNodes, Ledger ledger, Stopwatch clock, int clients) : IDisposable
{
    // Pacing, not waiting for a condition: a client whose request was refused or not answered (a node or
    // the broker away) pauses before its next cycle rather than hammering the survivors.
    private static readonly TimeSpan RefusedPause = TimeSpan.FromMilliseconds(200);

    public const int Sent = 0;
    public const int Acknowledged = 1;
    public const int AsAsked = 2;

    private static readonly TimeSpan FollowBound = TimeSpan.FromSeconds(90);
    private readonly List<FailoverApi> apis = [.. Enumerable.Range(0, clients).Select(i => new FailoverApi(apiNodes, clock, i))];

    public IEnumerable<ServerError> ServerErrors => apis.SelectMany(a => a.ServerErrors);

    public int FailedOver => apis.Sum(a => a.FailedOver);

    /// <summary>Runs every client until <paramref name="stop"/> is cancelled; a cycle in progress ends at its next request.</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(apis.Select(a => Task.Run(() => ClientAsync(a, stop), CancellationToken.None)));

    private async Task ClientAsync(FailoverApi api, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await CycleAsync(api, stop))
            {
                // Refused or not answered (a node or the broker is away): do not hammer it.
                await Task.Delay(RefusedPause, CancellationToken.None);
            }
        }
    }

    private async Task<bool> CycleAsync(FailoverApi api, CancellationToken stop)
    {
        var created = await SendAsync("create volume", () => api.CreateVolumeAsync(1));
        if (created is null)
        {
            return false;
        }

        var volumeId = created.Value.GetProperty("volume").GetProperty("id").GetString()!;
        var volume = ledger.Add("volumes", volumeId, clock.Elapsed);
        if (!await FollowAsync(api, "create volume", "volumes", volumeId, "available") || stop.IsCancellationRequested)
        {
            return true;
        }

        if (await SendAsync("extend", () => api.ExtendAsync(volumeId, 2)) is not null)
        {
            volume.ExtendedTo = 2;
            await FollowAsync(api, "extend", "volumes", volumeId, "available", size: 2);
        }

        if (stop.IsCancellationRequested)
        {
            return true;
        }

        if (await SendAsync("create snapshot", () => api.CreateSnapshotAsync(volumeId)) is { } snapshotBody)
        {
            var snapshotId = snapshotBody.GetProperty("snapshot").GetProperty("id").GetString()!;
            var snapshot = ledger.Add("snapshots", snapshotId, clock.Elapsed);
            if (await FollowAsync(api, "create snapshot", "snapshots", snapshotId, "available") && !stop.IsCancellationRequested
                && await SendAsync("delete snapshot", () => api.DeleteSnapshotAsync(snapshotId)) is not null)
            {
                snapshot.DeletedAt = clock.Elapsed;
                await FollowAsync(api, "delete snapshot", "snapshots", snapshotId, null);
            }
        }

        if (stop.IsCancellationRequested)
        {
            return true;
        }

        if (await SendAsync("delete volume", () => api.DeleteVolumeAsync(volumeId)) is not null)
        {
            volume.DeletedAt = clock.Elapsed;
            await FollowAsync(api, "delete volume", "volumes", volumeId, null);
        }

        return true;
    }

    /// <summary>Sends one request; its body when acknowledged (202), else null.</summary>
    private async Task<JsonElement?> SendAsync(string operation, Func<Task<ApiResult>> send)
    {
        ledger.Count(operation, Sent);
        var result = await send();
        if (!result.Accepted)
        {
            var body = result.Body.ValueKind == JsonValueKind.Undefined ? "" : result.Body.GetRawText();
            ledger.LastRefusal[operation] = result.Status is { } status ? $"{(int)status} from {result.Node}: {(body.Length > 200 ? body[..200] : body)}" : "no answer";
            return null;
        }

        ledger.Count(operation, Acknowledged);
        return result.Body;
    }

    /// <summary>Follows a resource until it leaves its transitional status; true when it ended as asked (<paramref name="status"/>, or gone when null).</summary>
    private async Task<bool> FollowAsync(FailoverApi api, string operation, string collection, string id, string? status, int? size = null)
    {
        var deadline = clock.Elapsed + FollowBound;
        var delay = 20;
        while (clock.Elapsed < deadline)
        {
            var result = await api.ShowAsync(collection, id);
            if (result.Status == HttpStatusCode.NotFound)
            {
                return Ended(status is null);
            }

            if (result.Status == HttpStatusCode.OK)
            {
                var resource = result.Body.GetProperty(collection[..^1]);
                var now = resource.GetProperty("status").GetString()!;
                if (!Checks.IsTransitional(now))
                {
                    return Ended(now == status && (size is null || resource.GetProperty("size").GetInt32() == size));
                }
            }

            await Task.Delay(delay, CancellationToken.None);
            delay = Math.Min(delay * 2, 500);
        }

        return false;

        bool Ended(bool asAsked)
        {
            if (asAsked)
            {
                ledger.Count(operation, AsAsked);
            }

            return asAsked;
        }
    }

    public void Dispose()
    {
        foreach (var api in apis)
        {
            api.Dispose();
        }
    }
}
