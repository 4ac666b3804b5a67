using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Services;

namespace Kiln.Server.Telemetry;

/// <summary>
/// Capacity of each pool, from the stats its backend last published, and volumes per pool and status,
/// from <see cref="VolumeCountCache"/>. A database start-up step, so the first scrape (which waits for
/// the database start-up like every request) already finds counts.
/// </summary>
internal sealed class PoolMetrics : IDatabaseStartupStep
{
    private const double BytesPerGiB = 1024d * 1024 * 1024;

    // The statuses Kiln moves volumes through are always reported; the others Cinder has (set only by an
    // administrator's reset) from the first time one is counted on, so they do not triple the series.
    private static readonly string[] OwnStatuses = [.. Enum.GetValues<VolumeStatus>().Where(s => s.IsKilnOwn()).Select(s => s.ToWireName())];

    private readonly BackendCatalog backends;
    private readonly VolumeCountCache volumeCounts;

    // Every pool reported once keeps being reported (at 0 when it has no volumes any more): an exporter
    // keeps the last value of a series that is no longer observed, which would freeze a stale count.
    private readonly ConcurrentDictionary<string, string> knownPools = new(StringComparer.Ordinal);

    // Same reason: a status counted once keeps being reported, at 0 when no volume is in it any more.
    private readonly ConcurrentDictionary<string, bool> knownStatuses = new(OwnStatuses.Select(s => KeyValuePair.Create(s, true)), StringComparer.Ordinal);

    public PoolMetrics(BackendCatalog backends, VolumeCountCache volumeCounts, OrphanVolumeFiles orphans, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(orphans);
        this.backends = backends;
        this.volumeCounts = volumeCounts;
        var meter = meterFactory.Create(MetricNames.Meter);
        meter.CreateObservableGauge(MetricNames.PoolCapacity, ObserveCapacity, "By",
            "Pool capacity from the stats the backend last published (Cinder's GiB converted to bytes), by kind: total, free, allocated, provisioned.");
        meter.CreateObservableUpDownCounter(MetricNames.Volumes, ObserveVolumes, "{volume}",
            "Volumes per pool and status, counted in the database at most every 5 s; volumes not placed on any pool have no backend and pool labels.");
        meter.CreateObservableGauge(
            MetricNames.OrphanVolumeFiles,
            () => orphans.ByBackend.Select(o => new Measurement<long>(o.Value.Count, new KeyValuePair<string, object?>(MetricNames.BackendLabel, o.Key))),
            "{volume}",
            "Volumes on the backend's storage that no database record knows, found at its last initialization; never deleted by Kiln (list them with kiln orphans).");
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        volumeCounts.Read();
        await volumeCounts.WhenRefreshedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<Measurement<double>> ObserveCapacity()
    {
        foreach (var host in backends.Hosts)
        {
            if (host.Snapshot.Stats is not { } stats)
            {
                continue;
            }

            foreach (var pool in stats.Pools)
            {
                var name = HostNames.Pool(host.Host, pool.PoolName);
                yield return Capacity(host.Host, name, "total", pool.TotalCapacityGb);
                yield return Capacity(host.Host, name, "free", pool.FreeCapacityGb);
                yield return Capacity(host.Host, name, "allocated", pool.AllocatedCapacityGb);
                yield return Capacity(host.Host, name, "provisioned", pool.ProvisionedCapacityGb);
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveVolumes()
    {
        var counts = volumeCounts.Read();
        foreach (var host in backends.Hosts)
        {
            foreach (var pool in host.Snapshot.Stats?.Pools ?? [])
            {
                knownPools.TryAdd(HostNames.Pool(host.Host, pool.PoolName), host.Host);
            }
        }

        foreach (var key in counts.Keys.Where(k => k.Pool is not null))
        {
            knownPools.TryAdd(key.Pool!, key.Backend!);
        }

        foreach (var key in counts.Keys)
        {
            knownStatuses.TryAdd(key.Status, true);
        }

        var statuses = knownStatuses.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var (pool, backend) in knownPools)
        {
            foreach (var status in statuses)
            {
                yield return new Measurement<long>(
                    counts.GetValueOrDefault(new VolumeCountKey(backend, pool, status)),
                    new(MetricNames.BackendLabel, backend), new(MetricNames.PoolLabel, pool), new(MetricNames.StatusLabel, status));
            }
        }

        foreach (var status in statuses)
        {
            yield return new Measurement<long>(counts.GetValueOrDefault(new VolumeCountKey(null, null, status)), new KeyValuePair<string, object?>(MetricNames.StatusLabel, status));
        }
    }

    private static Measurement<double> Capacity(string backend, string pool, string kind, double gib) =>
        new(gib * BytesPerGiB, new(MetricNames.BackendLabel, backend), new(MetricNames.PoolLabel, pool), new(MetricNames.KindLabel, kind));
}
