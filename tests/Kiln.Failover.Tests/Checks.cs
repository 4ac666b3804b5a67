using System.Globalization;
using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.Failover.Tests;

/// <summary>
/// The promises of issue 14 judged after each fault, from the API's lists (the database), the drivers'
/// own records (the fault backend's state file, the file backend's files) and the ledger of acknowledged
/// requests.
/// </summary>
internal static class Checks
{
    private static readonly string[] Transitional = ["creating", "deleting", "extending", "attaching", "detaching", "downloading", "uploading", "retyping", "maintenance", "restoring", "backing-up", "reserved"];

    public static bool IsTransitional(string status) => Transitional.Contains(status, StringComparer.Ordinal);

    /// <summary>Waits until nothing in the database is transitional, up to <paramref name="bound"/>; returns what still is.</summary>
    public static async Task<List<string>> SettleAsync(FailoverApi api, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        var pauses = new Poll.Pauses();
        while (true)
        {
            List<string> pending = [];
            try
            {
                foreach (var collection in new[] { "volumes", "snapshots" })
                {
                    pending.AddRange((await api.ListAllAsync(collection))
                        .Where(r => IsTransitional(r.GetProperty("status").GetString()!))
                        .Select(r => $"{collection[..^1]} {r.GetProperty("id").GetString()} {r.GetProperty("status").GetString()}"));
                }
            }
            catch (InvalidOperationException ex)
            {
                pending.Add($"the API cannot list: {ex.Message}");
            }

            if (pending.Count == 0 || DateTime.UtcNow > deadline)
            {
                return pending;
            }

            await pauses.NextAsync();
        }
    }

    /// <summary>Every invariant of issue 14 that can be judged once the system has settled; one line per violation.</summary>
    public static async Task<List<string>> JudgeAsync(FailoverApi api, FailoverCluster cluster, Ledger ledger, TimeSpan bound)
    {
        var violations = new List<string>();
        foreach (var still in await SettleAsync(api, bound))
        {
            violations.Add($"transitional past its bound ({bound.TotalSeconds:0} s after the fault was undone): {still}");
        }

        var volumes = (await api.ListAllAsync("volumes")).ToDictionary(v => v.GetProperty("id").GetString()!);
        var snapshots = (await api.ListAllAsync("snapshots")).ToDictionary(s => s.GetProperty("id").GetString()!);

        // Acknowledged requests: nothing lost (a create without a delete still exists; a delete was carried out).
        foreach (var tracked in ledger.Resources.Values)
        {
            var rows = tracked.Kind == "volumes" ? volumes : snapshots;
            var exists = rows.TryGetValue(tracked.Id, out var row);
            var status = exists ? row.GetProperty("status").GetString() : null;
            if (tracked.DeletedAt is null && !exists)
            {
                violations.Add($"lost: the {tracked.Kind[..^1]} {tracked.Id} created (acknowledged) at {tracked.CreatedAt.TotalSeconds:0.0} s is gone, and no delete of it was sent");
            }
            else if (tracked.DeletedAt is { } deleted && exists && !status!.StartsWith("error", StringComparison.Ordinal))
            {
                violations.Add($"lost: the delete of {tracked.Kind[..^1]} {tracked.Id} acknowledged at {deleted.TotalSeconds:0.0} s was not carried out (status {status})");
            }
            else if (tracked.ExtendedTo is { } size && exists && status == "available" && row.GetProperty("size").GetInt32() != size)
            {
                violations.Add($"lost: the extend of volume {tracked.Id} to {size} GB was acknowledged, the volume is available at {row.GetProperty("size").GetInt32()} GB");
            }
        }

        // The database and the drivers agree; a create applied again after its delete would leave an orphan here.
        var (faultVolumes, faultSnapshots) = cluster.ReadFaultBackend();
        var (fileVolumes, fileSnapshots) = cluster.ReadFileBackend();
        foreach (var (id, volume) in volumes)
        {
            var status = volume.GetProperty("status").GetString()!;
            var size = volume.GetProperty("size").GetInt32();
            var host = volume.TryGetProperty("os-vol-host-attr:host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
            if (status is not ("available" or "in-use" or "error_extending"))
            {
                continue;
            }

            if (host.StartsWith(FailoverCluster.FaultBackend, StringComparison.Ordinal))
            {
                var found = faultVolumes.TryGetValue(id, out var held);
                if (!found || held != size)
                {
                    violations.Add($"database and driver disagree: volume {id} is {status}, {size} GB on {host}; the fault driver holds {(found ? held.ToString(CultureInfo.InvariantCulture) + " GB" : "nothing")}");
                }
            }
            else if (host.StartsWith(FailoverCluster.FileBackend, StringComparison.Ordinal))
            {
                var found = fileVolumes.TryGetValue(id, out var bytes);
                if (!found || bytes != size * (1L << 30))
                {
                    violations.Add($"database and driver disagree: volume {id} is {status}, {size} GB on {host}; the file driver holds {(found ? bytes.ToString(CultureInfo.InvariantCulture) + " bytes" : "nothing")}");
                }
            }
            else
            {
                violations.Add($"volume {id} is {status} but has no host of the deployment ({host})");
            }
        }

        foreach (var id in faultVolumes.Keys.Concat(fileVolumes.Keys).Where(id => !volumes.ContainsKey(id)))
        {
            violations.Add($"orphan: a driver holds volume {id}, which the database does not know (a create applied after its delete, or a delete never carried out)");
        }

        foreach (var id in faultSnapshots.Concat(fileSnapshots).Where(id => !snapshots.ContainsKey(id)))
        {
            violations.Add($"orphan: a driver holds snapshot {id}, which the database does not know");
        }

        foreach (var (id, snapshot) in snapshots.Where(s => s.Value.GetProperty("status").GetString() == "available"))
        {
            if (!faultSnapshots.Contains(id) && !fileSnapshots.Contains(id))
            {
                violations.Add($"database and driver disagree: snapshot {id} is available; no driver holds it");
            }
        }

        return violations;
    }
}
