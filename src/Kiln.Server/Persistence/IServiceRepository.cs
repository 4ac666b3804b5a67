using Kiln.Core.Lifecycle;

namespace Kiln.Server.Persistence;

/// <summary>Service records (os-services): heartbeats, backend lifecycle snapshots and enable/disable.</summary>
internal interface IServiceRepository
{
    /// <summary>Records a heartbeat at <paramref name="now"/>, creating the service on its first one.</summary>
    Task HeartbeatAsync(string binary, string host, string zone, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="snapshot"/> on the <c>cinder-volume</c> service of its host, creating the
    /// service if needed. Neither the heartbeat nor the disabled flag changes.
    /// </summary>
    Task SaveBackendSnapshotAsync(string zone, BackendSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Every service, by binary then host.</summary>
    Task<IReadOnlyList<StoredService>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Disables (with an optional reason) or enables (clearing the reason) a service; null when there is no such service.</summary>
    Task<StoredService?> SetDisabledAsync(string host, string binary, bool disabled, string? reason, CancellationToken cancellationToken);
}
