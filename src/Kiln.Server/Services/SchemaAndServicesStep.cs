using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;

namespace Kiln.Server.Services;

/// <summary>
/// The first start-up step: brings the database up to date, then records this node's services and
/// backends, so the first request already sees every service record.
/// </summary>
internal sealed class SchemaAndServicesStep(
    IServiceProvider services, ServiceDirectory directory, BackendCatalog backends, IServiceRepository repository, KilnConfiguration configuration)
    : IDatabaseStartupStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await PersistenceSetup.MigrateAsync(services, cancellationToken).ConfigureAwait(false);
        await directory.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        await repository.SaveBackendSnapshotsAsync(configuration.StorageAvailabilityZone, [.. backends.Hosts.Select(h => h.Snapshot)], cancellationToken)
            .ConfigureAwait(false);

        await directory.ListAsync(cancellationToken).ConfigureAwait(false);
    }
}
