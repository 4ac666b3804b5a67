using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Dashboard;

/// <summary>Reads what the dashboard shows: the same service records <c>os-services</c> lists, with this node's live snapshots, probes and history.</summary>
internal sealed class DashboardData(ServiceDirectory services, BackendCatalog backends, BackendHistory history)
{
    /// <summary>Every backend (volume service record), those that need an operator first, then by name.</summary>
    public async Task<IReadOnlyList<BackendRow>> BackendsAsync(CancellationToken cancellationToken)
    {
        var entries = await services.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Where(e => e.Record.Binary == StoredService.VolumeBinary)
            .Select(ToRow)
            .OrderBy(r => r.Severity)
            .ThenBy(r => r.Host, StringComparer.Ordinal)];
    }

    /// <summary>Each backend's last stats with its state (live for this node's, stored for others').</summary>
    public async Task<IReadOnlyList<(string Host, string State, BackendStats Stats)>> StatsAsync(CancellationToken cancellationToken)
    {
        var entries = await services.ListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<(string, string, BackendStats)>();
        foreach (var entry in entries.Where(e => e.Record.Binary == StoredService.VolumeBinary))
        {
            var stats = entry.Live?.Stats ?? BackendStatsJson.Deserialize(entry.Record.StatsJson);
            if (stats is not null)
            {
                result.Add((entry.Record.Host, entry.Live?.State.ToWireName() ?? entry.Record.DriverState ?? "unknown", stats));
            }
        }

        return result;
    }

    private BackendRow ToRow(ServiceEntry entry)
    {
        var record = entry.Record;
        var live = entry.Live;
        var host = backends.Find(record.Host);
        return new BackendRow
        {
            Host = record.Host,
            State = live?.State.ToWireName() ?? record.DriverState ?? "unknown",
            Since = live?.Since ?? record.DriverStateSince,
            Error = live is null ? record.DriverError : live.ErrorText,
            Attempts = live?.ReinitAttempts ?? record.ReinitAttempts,
            Budget = live?.ReinitBudget ?? record.ReinitBudget,
            NextAttemptAt = live is null ? record.ReinitNextAt : live.NextAttemptAt,
            StatsUpdatedAt = live?.StatsUpdatedAt ?? record.StatsUpdatedAt,
            Probe = host?.LastProbe,
            Up = entry.Up,
            Disabled = record.Disabled,
            Local = host is not null,
            History = host is null ? [] : history.Read(record.Host),
        };
    }
}
