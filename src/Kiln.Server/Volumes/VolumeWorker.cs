using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Messaging;

namespace Kiln.Server.Volumes;

/// <summary>The volume role: consumes each local backend's queue and hands requests to the <see cref="VolumeManager"/>.</summary>
internal sealed class VolumeWorker(BackendCatalog catalog, IMessageBus bus, VolumeManager manager, Groups.GroupManager groups) : IHostedService
{
    /// <summary>Requests one backend works on at once; drivers are called concurrently.</summary>
    public const int ConcurrencyPerBackend = 16;

    private readonly List<IAsyncDisposable> subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var host in catalog.Hosts)
        {
            subscriptions.Add(bus.Subscribe(Queues.Volume(host.Host), HandleAsync, ConcurrencyPerBackend));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Every operation below re-reads its volume, snapshot or group and acts only on the transitional
    // status the API claimed for it, so a message delivered again after it was carried out changes
    // nothing, and one whose earlier delivery died half-way resumes (drivers' deletes are idempotent).
    private Task HandleAsync(MessageDelivery delivery, CancellationToken cancellationToken) => delivery.Message switch
    {
        CreateVolume m => manager.CreateVolumeAsync(m.VolumeId, cancellationToken),
        DeleteVolume m => manager.DeleteVolumeAsync(m.VolumeId, cancellationToken),
        ExtendVolume m => manager.ExtendVolumeAsync(m.VolumeId, m.NewSizeGb, m.Attached, cancellationToken),
        CreateSnapshot m => manager.CreateSnapshotAsync(m.SnapshotId, cancellationToken),
        DeleteSnapshot m => manager.DeleteSnapshotAsync(m.SnapshotId, cancellationToken),
        RevertToSnapshot m => manager.RevertToSnapshotAsync(m.VolumeId, m.SnapshotId, cancellationToken),
        MigrateVolume m => manager.MigrateVolumeAsync(m.VolumeId, m.DestinationHost, m.NewTypeId, cancellationToken),
        DeleteGroup m => groups.DeleteGroupAsync(m.GroupId, cancellationToken),
        CreateGroupFromSource m => groups.CreateFromSourceAsync(m.GroupId, cancellationToken),
        CreateGroupSnapshot m => groups.CreateGroupSnapshotAsync(m.GroupSnapshotId, cancellationToken),
        DeleteGroupSnapshot m => groups.DeleteGroupSnapshotAsync(m.GroupSnapshotId, cancellationToken),
        ReinitBackend m => Api.RemoteReinit.Apply(catalog, m),
        var message => throw new NotSupportedException($"The volume role does not handle {message.GetType().Name}."),
    };
}
