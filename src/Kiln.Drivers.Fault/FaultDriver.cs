using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault;

/// <summary>
/// A driver whose failures are scripted by the control file and whose volumes live in memory.
/// Every call is recorded first, then reads the control file, so a test sees each call even when it fails.
/// </summary>
internal sealed class FaultDriver : IVolumeDriver, IReadinessProbe, IVolumeInventory
{
    private readonly DriverContext context;
    private readonly FaultOptions options;
    private readonly VolumeStore store;

    public FaultDriver(DriverContext context, FaultOptions options, VolumeStore store)
    {
        this.context = context;
        this.options = options;
        this.store = store;
    }

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        await RecordAsync("do_setup", cancellationToken).ConfigureAwait(false);
        _ = options.ReadCapacityGb();
        var control = ReadReachable(cancellationToken);
        switch (control.Init)
        {
            case InitFault.Transient:
                throw new DriverException("transient init failure (fault_control_file init=transient)");
            case InitFault.Config:
                throw new DriverConfigurationException("configuration failure (fault_control_file init=config)");
            case InitFault.Unsupported:
                throw new DriverNotSupportedException("driver not supported (fault_control_file init=unsupported)");
            case InitFault.Dependency:
                throw new DriverDependencyException("missing dependency (fault_control_file init=dependency)");
            case InitFault.Hang:
                // Stands in for an array that never answers: only driver_init_timeout or shutdown ends it.
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public async Task CheckForSetupErrorAsync(CancellationToken cancellationToken)
    {
        await RecordAsync("check_for_setup_error", cancellationToken).ConfigureAwait(false);
        ReadReachable(cancellationToken);
    }

    public async Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await RecordAsync("get_volume_stats", cancellationToken).ConfigureAwait(false);
        var control = ReadReachable(cancellationToken);
        await SlowDownAsync(control, cancellationToken).ConfigureAwait(false);
        if (control.FailStats)
        {
            throw new DriverException("stats failure (fault_control_file stats=fail)");
        }

        return FaultStats.Build(context.BackendName, options.BackendDisplayName, options.ReadCapacityGb(), store.AllocatedGb);
    }

    /// <summary>The store's volumes, as an array lists its LUNs: Kiln reports those it has no record of (orphans).</summary>
    public Task<IReadOnlyList<StoredVolume>> ListVolumesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredVolume>>([.. store.VolumeIds().Select(id => new StoredVolume(id, $"{context.BackendName}/{id}"))]);

    /// <summary>Holds nothing to release (volumes belong to the factory's store); recorded so tests and rehearsals see when Kiln lets go of an instance.</summary>
    public async ValueTask DisposeAsync() => await RecordAsync("dispose", CancellationToken.None).ConfigureAwait(false);

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        await RecordAsync("probe", cancellationToken).ConfigureAwait(false);
        var control = ControlFile.Read(options.ControlFilePath, cancellationToken);
        return control.UnreachableReason() is { } reason ? ProbeResult.NotReady(reason) : ProbeResult.Ready;
    }

    public async Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("create_volume", cancellationToken).ConfigureAwait(false);
        store.CreateVolume(volume.Id, volume.SizeGb, options.ReadCapacityGb());
        return Located(volume);
    }

    public async Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(snapshot);
        await EnterOperationAsync("create_volume_from_snapshot", cancellationToken).ConfigureAwait(false);
        store.CreateFromSnapshot(volume.Id, volume.SizeGb, snapshot.Id, options.ReadCapacityGb());
        return Located(volume);
    }

    public async Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        await EnterOperationAsync("create_cloned_volume", cancellationToken).ConfigureAwait(false);
        store.CreateClone(volume.Id, volume.SizeGb, source.Id, options.ReadCapacityGb());
        return Located(volume);
    }

    public async Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("delete_volume", cancellationToken).ConfigureAwait(false);
        store.DeleteVolume(volume.Id);
    }

    public async Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("extend_volume", cancellationToken).ConfigureAwait(false);
        store.ExtendVolume(volume.Id, newSizeGb, options.ReadCapacityGb());
    }

    public async ValueTask<long?> GetVolumeSizeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("get_volume_size", cancellationToken).ConfigureAwait(false);
        return store.SizeGbOf(volume.Id) * (1L << 30);
    }

    public async Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await EnterOperationAsync("create_snapshot", cancellationToken).ConfigureAwait(false);
        store.CreateSnapshot(snapshot.Id, snapshot.Volume.Id);
    }

    public async Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await EnterOperationAsync("delete_snapshot", cancellationToken).ConfigureAwait(false);
        store.DeleteSnapshot(snapshot.Id);
    }

    public async Task RevertToSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("revert_to_snapshot", cancellationToken).ConfigureAwait(false);
        store.RequireVolume(volume.Id);
    }

    /// <summary>The fault store keeps sizes, not data: the image is the volume's location and size, which only another fault backend reads.</summary>
    public async ValueTask<VolumeImage?> GetVolumeImageAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("get_volume_image", cancellationToken).ConfigureAwait(false);
        var sizeGb = store.SizeGbOf(volume.Id) ?? throw new DriverException($"volume {volume.Id} not found");
        return new VolumeImage(Located(volume).ProviderLocation!, ImageFormat, sizeGb * (1L << 30));
    }

    public async Task<VolumeUpdate> CreateVolumeFromImageAsync(VolumeRef volume, VolumeImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(image);
        await EnterOperationAsync("create_volume_from_image", cancellationToken).ConfigureAwait(false);
        if (image.Format != ImageFormat)
        {
            throw new DriverException($"cannot migrate volume {volume.Id} here: the fault driver reads only fault images, not {image.Format}");
        }

        if (image.SizeBytes > volume.SizeGb * (1L << 30))
        {
            throw new DriverException($"requested size {volume.SizeGb} GB of volume {volume.Id} is smaller than the migrated image ({image.SizeBytes} bytes)");
        }

        // A copy left by an interrupted migration of the same volume is replaced.
        store.DeleteVolume(volume.Id);
        store.CreateVolume(volume.Id, volume.SizeGb, options.ReadCapacityGb());
        return Located(volume);
    }

    public async Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("initialize_connection", cancellationToken).ConfigureAwait(false);
        store.RequireVolume(volume.Id);
        return new ConnectionInfo("fault", new Dictionary<string, object?>
        {
            ["volume_id"] = volume.Id,
            ["backend_name"] = context.BackendName,
        });
    }

    public async Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        await EnterOperationAsync("terminate_connection", cancellationToken).ConfigureAwait(false);
    }

    private const string ImageFormat = "fault";

    private VolumeUpdate Located(VolumeRef volume) => new($"fault://{context.BackendName}/{volume.Id}");

    private async Task RecordAsync(string method, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.CallLogPath is { } path)
        {
            await CallLog.AppendAsync(path, context.TimeProvider, method, cancellationToken).ConfigureAwait(false);
        }
    }

    private FaultControl ReadReachable(CancellationToken cancellationToken)
    {
        var control = ControlFile.Read(options.ControlFilePath, cancellationToken);
        return control.UnreachableReason() is { } reason ? throw new DriverException(reason) : control;
    }

    private async Task EnterOperationAsync(string method, CancellationToken cancellationToken)
    {
        await RecordAsync(method, cancellationToken).ConfigureAwait(false);
        var control = ReadReachable(cancellationToken);
        await SlowDownAsync(control, cancellationToken).ConfigureAwait(false);
        switch (control.Ops)
        {
            case OpsFault.Fail:
                throw new DriverException("operation failure (fault_control_file ops=fail)");
            case OpsFault.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, cancellationToken).ConfigureAwait(false);
                break;
            case OpsFault.Unsupported:
                throw new NotSupportedException($"{method} is not supported for this volume (fault_control_file ops=unsupported)");
        }
    }

    private Task SlowDownAsync(FaultControl control, CancellationToken cancellationToken) =>
        control.Delay > TimeSpan.Zero ? Task.Delay(control.Delay, context.TimeProvider, cancellationToken) : Task.CompletedTask;
}
