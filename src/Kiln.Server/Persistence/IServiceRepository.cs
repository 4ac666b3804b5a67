using Kiln.Core.Lifecycle;

namespace Kiln.Server.Persistence;

/// <summary>Service records (os-services): heartbeats, backend lifecycle snapshots and enable/disable.</summary>
internal interface IServiceRepository
{
    /// <summary>Records a heartbeat at <paramref name="now"/> for the <paramref name="binary"/> service of every host, creating each on its first one.</summary>
    Task HeartbeatAsync(string binary, IReadOnlyCollection<string> hosts, string zone, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores each of <paramref name="snapshots"/> on the <c>cinder-volume</c> service of its host, creating
    /// the service if needed, all in one transaction. Neither the heartbeat nor the disabled flag changes.
    /// </summary>
    Task SaveBackendSnapshotsAsync(string zone, IReadOnlyCollection<BackendSnapshot> snapshots, CancellationToken cancellationToken);

    /// <summary>Every service, by binary then host.</summary>
    Task<IReadOnlyList<StoredService>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Disables (with an optional reason) or enables (clearing the reason) a service; null when there is no such service.</summary>
    Task<StoredService?> SetDisabledAsync(string host, string binary, bool disabled, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Cinder's freeze (<paramref name="frozen"/> true: frozen, disabled with reason <c>frozen</c>) or thaw
    /// (not frozen, enabled, reason empty) of the <c>cinder-volume</c> service of <paramref name="host"/>,
    /// only if it is not already so; null when there is no such service or it already was.
    /// </summary>
    Task<StoredService?> SetFrozenAsync(string host, bool frozen, CancellationToken cancellationToken);
}
