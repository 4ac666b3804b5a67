namespace Kiln.Core.Volumes;

/// <summary>
/// Where volumes are stored. Status changes are conditional (compare-and-set on the status), so two
/// requests can never both move a volume out of the same status.
/// </summary>
public interface IVolumeRepository
{
    Task AddAsync(Volume volume, CancellationToken cancellationToken);

    Task<Volume?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> only if the stored status is one of <paramref name="expected"/>
    /// at the moment of the write. Returns the stored result, or null when the volume is gone or its
    /// status is no longer one of <paramref name="expected"/> (another request won).
    /// </summary>
    Task<Volume?> TryUpdateAsync(string id, IReadOnlyCollection<VolumeStatus> expected, Func<Volume, Volume> change, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to <paramref name="read"/>, a copy the caller has just read,
    /// only if the stored status is still <paramref name="read"/>'s at the moment of the write: the
    /// same guard as the other overload without reading the row again. Only the fields the change
    /// sets are written. Returns the stored result, or null when another request won.
    /// </summary>
    Task<Volume?> TryUpdateAsync(Volume read, Func<Volume, Volume> change, CancellationToken cancellationToken);

    /// <summary>Removes the volume only if its status is <paramref name="expected"/>; false otherwise.</summary>
    Task<bool> TryRemoveAsync(string id, VolumeStatus expected, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the volume to <c>deleting</c> (clearing its error reason) only if its status is one of
    /// <paramref name="expected"/> and nothing depends on it: no snapshot, no volume being cloned from it.
    /// Decided by one conditional write after the volume's row is locked, so a snapshot or clone that
    /// claims the volume at the same moment (<c>available</c>, in the same row) and this delete cannot
    /// both win, on any engine.
    /// </summary>
    Task<DeleteClaim<Volume>> TryBeginDeleteAsync(string id, IReadOnlyCollection<VolumeStatus> expected, CancellationToken cancellationToken);

    /// <summary>Volumes placed on <paramref name="backendHost"/> (<c>host@backend</c>, any pool).</summary>
    Task<IReadOnlyList<Volume>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken);

    /// <summary>Volumes not placed on any backend yet that are in <paramref name="status"/>.</summary>
    Task<IReadOnlyList<Volume>> ListUnscheduledAsync(VolumeStatus status, CancellationToken cancellationToken);

    /// <summary>Count of volumes using the volume type <paramref name="volumeTypeId"/>.</summary>
    Task<int> CountByTypeAsync(string volumeTypeId, CancellationToken cancellationToken);

    /// <summary>One page of a project's volumes (all projects when <see cref="ListQuery.ProjectId"/> is null).</summary>
    Task<ListPage<Volume>> QueryAsync(ListQuery query, CancellationToken cancellationToken);
}

/// <summary>Where snapshots are stored; same conditional-update rules as volumes.</summary>
public interface ISnapshotRepository
{
    Task AddAsync(Snapshot snapshot, CancellationToken cancellationToken);

    Task<Snapshot?> FindAsync(string id, CancellationToken cancellationToken);

    Task<Snapshot?> TryUpdateAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, Func<Snapshot, Snapshot> change, CancellationToken cancellationToken);

    Task<bool> TryRemoveAsync(string id, SnapshotStatus expected, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the snapshot to <c>deleting</c> only if its status is one of <paramref name="expected"/>
    /// and no volume is being created from it, decided as <see cref="IVolumeRepository.TryBeginDeleteAsync"/> is.
    /// </summary>
    Task<DeleteClaim<Snapshot>> TryBeginDeleteAsync(string id, IReadOnlyCollection<SnapshotStatus> expected, CancellationToken cancellationToken);

    Task<IReadOnlyList<Snapshot>> ListByVolumeAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>Snapshots whose volume is placed on <paramref name="backendHost"/>.</summary>
    Task<IReadOnlyList<Snapshot>> ListByBackendAsync(string backendHost, CancellationToken cancellationToken);

    Task<ListPage<Snapshot>> QueryAsync(ListQuery query, CancellationToken cancellationToken);
}

/// <summary>Volume types and their extra specs.</summary>
public interface IVolumeTypeRepository
{
    /// <summary>Adds a type; false when the name is taken, ignoring case (as Cinder's MySQL collation does).</summary>
    Task<bool> TryAddAsync(VolumeType type, CancellationToken cancellationToken);

    /// <summary>By id, or by name when no id matches (Cinder accepts either).</summary>
    Task<VolumeType?> FindAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>
    /// By id, read from the database itself rather than a cached copy: for a decision that must follow
    /// the latest committed extra specs (placement), where a copy a few seconds old could place a volume
    /// by specs the type no longer has.
    /// </summary>
    Task<VolumeType?> FindStoredAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<VolumeType>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets (adds or overwrites) extra specs unless volumes use the type (Cinder refuses: those volumes
    /// were placed by the specs they had). The check and the write are one transaction that locks the
    /// type's row, as a volume insert does, so a create and this change cannot both win.
    /// </summary>
    Task<TypeWrite> SetExtraSpecsAsync(string id, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken);

    /// <summary>Removes one extra spec unless volumes use the type (as <see cref="SetExtraSpecsAsync"/>); <see cref="TypeWriteOutcome.NotFound"/> when the type or the key does not exist.</summary>
    Task<TypeWriteOutcome> UnsetExtraSpecAsync(string id, string key, CancellationToken cancellationToken);

    /// <summary>Updates the non-null fields; null when the type does not exist or the new name is taken by another type (ignoring case).</summary>
    Task<VolumeType?> UpdateAsync(string id, string? name, string? description, bool? isPublic, CancellationToken cancellationToken);

    /// <summary>Removes the type unless volumes use it, decided atomically with the volume inserts that name it.</summary>
    Task<TypeWriteOutcome> RemoveAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// The answer of a conditional move to <c>deleting</c>: the claimed resource, or why not — what still
/// depends on it, or (nothing claimed, no dependents) its status changed or it is gone.
/// </summary>
public sealed record DeleteClaim<T>(T? Deleting, int Snapshots = 0, int VolumesBeingCreated = 0)
    where T : class;

/// <summary>What a guarded write to a volume type did.</summary>
public enum TypeWriteOutcome
{
    Done,

    /// <summary>The type (or, for an extra spec, the key) does not exist.</summary>
    NotFound,

    /// <summary>Volumes use the type: Cinder's "Volume Type is currently in use." / "Target volume type is still in use."</summary>
    InUse,
}

/// <summary>A guarded write to a volume type and, when done, the type as stored.</summary>
public readonly record struct TypeWrite(TypeWriteOutcome Outcome, VolumeType? Type = null);

/// <summary>A page of results and whether the marker was found.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, bool MarkerNotFound = false);

/// <summary>Filters, sort and pagination of a list request (Cinder's <c>limit</c>, <c>marker</c>, <c>sort</c>).</summary>
public sealed record ListQuery
{
    public string? ProjectId { get; init; }

    /// <summary>Wire name of the status to keep (<c>available</c>); null keeps all.</summary>
    public string? Status { get; init; }

    /// <summary>Exact name to keep; null keeps all.</summary>
    public string? Name { get; init; }

    /// <summary>Snapshots only: keep those of this volume.</summary>
    public string? VolumeId { get; init; }

    /// <summary>Volumes only: keep those in this availability zone.</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>Volumes only: keep the bootable (true) or the non-bootable (false) ones; null keeps all.</summary>
    public bool? Bootable { get; init; }

    /// <summary>Volumes only: keep those of this project (an administrator's <c>project_id</c> filter with <c>all_tenants</c>).</summary>
    public string? OwnerProjectId { get; init; }

    /// <summary>Keep those whose metadata (or, for volumes, admin metadata) has every one of these pairs; null keeps all.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Cinder's inexact filters (<c>name~=abc</c>, 3.34): the API name of a column (<c>name</c>,
    /// <c>description</c>, <c>status</c>) and the text it must contain.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Inexact { get; init; }

    /// <summary>
    /// True when a filter's value can match nothing (Cinder answers an empty list, for instance for
    /// a <c>metadata</c> value that is not a dictionary).
    /// </summary>
    public bool MatchesNothing { get; init; }

    public int? Limit { get; init; }

    /// <summary>Id of the last item of the previous page.</summary>
    public string? Marker { get; init; }

    /// <summary>Cinder's <c>offset</c>: how many rows to skip after the marker (or from the first row).</summary>
    public int Offset { get; init; }

    /// <summary>Sort keys in order; defaults to created_at descending then id descending, like Cinder.</summary>
    public IReadOnlyList<SortKey> Sort { get; init; } = [];
}

/// <summary>One sort key: <c>created_at</c>, <c>updated_at</c>, <c>id</c>, <c>name</c>, <c>size</c>, <c>status</c>.</summary>
public sealed record SortKey(string Key, bool Descending);
