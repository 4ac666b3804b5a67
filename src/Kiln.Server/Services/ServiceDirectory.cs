using System.Collections.Concurrent;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;

namespace Kiln.Server.Services;

/// <summary>
/// The service records (os-services) of every node, from the database, with this node's own backends
/// overlaid by their live lifecycle snapshot (the stored copy trails it by one write).
/// </summary>
internal sealed class ServiceDirectory(IServiceRepository repository, BackendCatalog backends, KilnConfiguration configuration, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, string?> disabledBackends = new(StringComparer.Ordinal);

    public TimeSpan ServiceDownTime => configuration.ServiceDownTime;

    /// <summary>Up when the last heartbeat is within <c>service_down_time</c>, like Cinder.</summary>
    public bool IsUp(StoredService record) =>
        (timeProvider.GetUtcNow() - (record.UpdatedAt ?? record.CreatedAt)).Duration() <= ServiceDownTime;

    /// <summary>Records a heartbeat for the scheduler and every local backend that still beats (a stopped one does not).</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var zone = configuration.StorageAvailabilityZone;
        await repository.HeartbeatAsync(StoredService.SchedulerBinary, [configuration.Host], zone, now, cancellationToken).ConfigureAwait(false);
        string[] beating = [.. backends.Hosts.Where(h => h.Snapshot.State.Heartbeats()).Select(h => h.Host)];
        await repository.HeartbeatAsync(StoredService.VolumeBinary, beating, zone, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every service record, by binary then host, with live snapshots for local backends.</summary>
    public async Task<IReadOnlyList<ServiceEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var records = await repository.ListAsync(cancellationToken).ConfigureAwait(false);
        Remember(records);
        return [.. records.Select(r => new ServiceEntry(r, IsUp(r), r.Binary == StoredService.VolumeBinary ? backends.Find(r.Host)?.Snapshot : null))];
    }

    public async Task<StoredService?> SetDisabledAsync(string host, string binary, bool disabled, string? reason, CancellationToken cancellationToken)
    {
        var record = await repository.SetDisabledAsync(host, binary, disabled, reason, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            Remember([record]);
        }

        return record;
    }

    /// <summary>Freezes or thaws a backend (<see cref="IServiceRepository.SetFrozenAsync"/>); null when it is not there or already so.</summary>
    public async Task<StoredService?> SetFrozenAsync(string host, bool frozen, CancellationToken cancellationToken)
    {
        var record = await repository.SetFrozenAsync(host, frozen, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            Remember([record]);
        }

        return record;
    }

    /// <summary>Whether an operator disabled the volume service of <paramref name="backendHost"/> (as last read or set here).</summary>
    public bool IsDisabled(string backendHost, out string? reason) => disabledBackends.TryGetValue(backendHost, out reason);

    private void Remember(IEnumerable<StoredService> records)
    {
        foreach (var record in records.Where(r => r.Binary == StoredService.VolumeBinary))
        {
            if (record.Disabled)
            {
                disabledBackends[record.Host] = record.DisabledReason;
            }
            else
            {
                disabledBackends.TryRemove(record.Host, out _);
            }
        }
    }
}

/// <summary>One os-services row: the stored record, whether it is up, and the live snapshot when the backend runs here.</summary>
internal sealed record ServiceEntry(StoredService Record, bool Up, BackendSnapshot? Live);
