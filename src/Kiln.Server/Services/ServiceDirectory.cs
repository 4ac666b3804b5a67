using Kiln.Core.Lifecycle;
using System.Collections.Concurrent;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;

namespace Kiln.Server.Services;

/// <summary>
/// The service records of this node: the scheduler and one volume service per backend. In memory
/// for now; the database keeps them once persistence lands.
/// </summary>
internal sealed class ServiceDirectory
{
    private readonly ConcurrentDictionary<(string Binary, string Host), ServiceRecord> records = new();
    private readonly BackendCatalog backends;
    private readonly TimeProvider timeProvider;

    public ServiceDirectory(KilnConfiguration configuration, BackendCatalog backends, TimeProvider timeProvider)
    {
        this.backends = backends;
        this.timeProvider = timeProvider;
        ServiceDownTime = configuration.ServiceDownTime;
        var now = timeProvider.GetUtcNow();
        Add(new ServiceRecord { Binary = ServiceRecord.SchedulerBinary, Host = configuration.Host, Zone = configuration.StorageAvailabilityZone, CreatedAt = now });
        foreach (var host in backends.Hosts)
        {
            Add(new ServiceRecord { Binary = ServiceRecord.VolumeBinary, Host = host.Host, Zone = configuration.StorageAvailabilityZone, CreatedAt = now });
        }
    }

    public TimeSpan ServiceDownTime { get; }

    public IEnumerable<ServiceRecord> All => records.Values.OrderBy(r => r.Binary, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal);

    /// <summary>Up when the last heartbeat is within <c>service_down_time</c>, like Cinder.</summary>
    public bool IsUp(ServiceRecord record)
    {
        var last = record.UpdatedAt ?? record.CreatedAt;
        return (timeProvider.GetUtcNow() - last).Duration() <= ServiceDownTime;
    }

    /// <summary>Records a heartbeat for every service that still beats (a stopped backend does not).</summary>
    public void Heartbeat()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var record in records.Values)
        {
            if (record.Binary == ServiceRecord.VolumeBinary && backends.Find(record.Host) is { } host && !host.Snapshot.State.Heartbeats())
            {
                continue;
            }

            record.UpdatedAt = now;
        }
    }

    private void Add(ServiceRecord record) => records[(record.Binary, record.Host)] = record;
}
