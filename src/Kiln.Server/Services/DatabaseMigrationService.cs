using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;

namespace Kiln.Server.Services;

/// <summary>
/// Brings the database up to date and registers this node's services before anything else starts:
/// <see cref="IHostedLifecycleService.StartingAsync"/> runs before every hosted service's StartAsync,
/// the web server's included, so the first request already sees every service record.
/// </summary>
internal sealed class DatabaseMigrationService(
    IServiceProvider services, ServiceDirectory directory, BackendCatalog backends, IServiceRepository repository, KilnConfiguration configuration)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await PersistenceSetup.MigrateAsync(services, cancellationToken).ConfigureAwait(false);
        await directory.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        foreach (var host in backends.Hosts)
        {
            await repository.SaveBackendSnapshotAsync(configuration.StorageAvailabilityZone, host.Snapshot, cancellationToken).ConfigureAwait(false);
        }

        await directory.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
