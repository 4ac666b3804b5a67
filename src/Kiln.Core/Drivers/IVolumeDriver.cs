namespace Kiln.Core.Drivers;

/// <summary>
/// A storage backend's driver. Lifecycle calls come from the backend host only; volume operations
/// only while the backend is ready or degraded. Throw the <see cref="Errors"/> taxonomy; never decide
/// retry policy here.
/// </summary>
/// <remarks>
/// Every initialization attempt creates a new instance. The host disposes an instance once it is no
/// longer used: the instance of a failed attempt when the next attempt or a success supersedes it, a
/// replaced driver after the operations still using it have ended (bounded), every instance at shutdown.
/// <see cref="IAsyncDisposable.DisposeAsync"/> is where a driver releases connections or sessions; it is
/// called once, after the instance's last call.
/// </remarks>
public interface IVolumeDriver : IAsyncDisposable
{
    /// <summary>Connects to the storage and validates options (Cinder's <c>do_setup</c>).</summary>
    Task SetupAsync(CancellationToken cancellationToken);

    /// <summary>Verifies the storage is usable after setup (Cinder's <c>check_for_setup_error</c>).</summary>
    Task CheckForSetupErrorAsync(CancellationToken cancellationToken);

    /// <summary>Capacity and capabilities of each pool, published to the scheduler.</summary>
    Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Creates an empty volume of <see cref="VolumeRef.SizeGb"/>.</summary>
    Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken);

    /// <summary>Creates a volume holding the snapshot's data, at least as large as the snapshot.</summary>
    Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken);

    /// <summary>Creates a volume holding a copy of <paramref name="source"/>.</summary>
    Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken);

    /// <summary>Deletes a volume; deleting one the driver does not know succeeds.</summary>
    Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken);

    /// <summary>Grows a volume to <paramref name="newSizeGb"/>.</summary>
    Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken);

    /// <summary>
    /// The volume's size in bytes as the storage holds it now, or null when the driver cannot tell (the
    /// default) or does not have the volume. The start-up clean-up reconciles an extend cut short by a crash
    /// with it: the record may say 1 GB of a volume the storage has already grown to 3.
    /// </summary>
    ValueTask<long?> GetVolumeSizeAsync(VolumeRef volume, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);

    /// <summary>Takes a point-in-time snapshot of <see cref="SnapshotRef.Volume"/>.</summary>
    Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the snapshot and returns the fields the driver wants stored with it (Cinder's <c>create_snapshot</c>
    /// model update, saved to the snapshot and handed back to its later calls). Drivers with nothing to store keep
    /// this default, which is <see cref="CreateSnapshotAsync"/>.
    /// </summary>
    async Task<VolumeUpdate> CreateSnapshotWithUpdateAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        await CreateSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return VolumeUpdate.None;
    }

    /// <summary>Deletes a snapshot; deleting one the driver does not know succeeds.</summary>
    Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the data of <paramref name="snapshot"/> (the volume's latest) back into its volume, which stays
    /// <see cref="VolumeRef.SizeGb"/> large (Cinder's <c>revert_to_snapshot</c>). Must be safe to repeat: the
    /// start-up clean-up runs it again after a crash. Drivers that cannot revert keep this default.
    /// </summary>
    Task RevertToSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This backend's driver cannot revert a volume to a snapshot.");

    /// <summary>
    /// Takes the snapshots of a group snapshot (Cinder's <c>create_group_snapshot</c>): all of them or,
    /// on failure, none. A driver that can take them at one point in time overrides this; the default
    /// takes them one after another and deletes those already taken when one fails
    /// (<see cref="SnapshotSets.TakeOneByOneAsync"/>).
    /// </summary>
    Task CreateSnapshotSetAsync(IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken) =>
        SnapshotSets.TakeOneByOneAsync(this, snapshots, cancellationToken);

    /// <summary>
    /// The volume's data as an image another backend's driver in this process can read, for a migration
    /// between backends (Cinder copies through the volume service's host, <c>copy_volume_data</c>). Null, the
    /// default, when the driver cannot hand its data out: a migration away from it fails with a reason.
    /// </summary>
    ValueTask<VolumeImage?> GetVolumeImageAsync(VolumeRef volume, CancellationToken cancellationToken) => ValueTask.FromResult<VolumeImage?>(null);

    /// <summary>
    /// Creates <paramref name="volume"/> holding a copy of <paramref name="image"/> (a volume of another
    /// backend being migrated here), replacing whatever an interrupted migration of the same volume left.
    /// A driver that finds the image is already its own volume (a store shared with the source) returns its
    /// location without copying. Drivers that cannot keep this default and migrations to them fail.
    /// </summary>
    Task<VolumeUpdate> CreateVolumeFromImageAsync(VolumeRef volume, VolumeImage image, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This backend's driver cannot receive a volume migrated from another backend.");

    /// <summary>
    /// Restores the export of an <c>in-use</c> volume after the driver was (re)initialized and returns the fields to
    /// store with it (Cinder's <c>ensure_export</c>, which cinder-volume's init_host calls for each in-use volume): the
    /// storage may have lost its exports while the backend was down. Called for in-use volumes only; drivers whose
    /// exports survive on their own (or that restore them in their setup) keep this default, which does nothing.
    /// </summary>
    Task<VolumeUpdate> EnsureExportAsync(VolumeRef volume, CancellationToken cancellationToken) => Task.FromResult(VolumeUpdate.None);

    /// <summary>
    /// The storage's ids (<c>provider_id</c>) of the backend's volumes and snapshots, where they should change (Cinder's
    /// <c>update_provider_info</c>, called once by init_host with all of the backend's volumes and snapshots). Drivers
    /// that keep no such ids keep this default, which changes nothing.
    /// </summary>
    Task<ProviderIdUpdates> UpdateProviderInfoAsync(IReadOnlyList<VolumeRef> volumes, IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken) =>
        Task.FromResult(ProviderIdUpdates.None);

    /// <summary>Exports a volume to a host and returns how to reach it (Cinder's connection_info).</summary>
    Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken);

    /// <summary>Removes the export made for <paramref name="connector"/>.</summary>
    Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken);
}
