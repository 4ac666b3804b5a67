using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Messaging;
using Kiln.Server.Quotas;
using Kiln.Server.Scheduling;

namespace Kiln.Server.Volumes;

/// <summary>
/// What the API asks of volumes and snapshots: validation, the conditional status change that claims
/// the resource, then a message to the role that does the work. A request on a backend that is not
/// ready is refused before anything changes (HTTP 409), so nothing is left in a transitional status.
/// </summary>
public sealed class VolumeService(
    IVolumeRepository volumes,
    ISnapshotRepository snapshots,
    IVolumeTypeRepository types,
    IMessageBus bus,
    IBackendStates backends,
    KilnConfiguration configuration,
    QuotaService quotas,
    IExtendCapacity capacity,
    Groups.GroupService groups,
    TimeProvider timeProvider,
    IProjectTypes projectTypes,
    Core.Attachments.IAttachmentRepository attachments,
    IFrozenBackends frozen,
    ILogger<VolumeService> logger)
{
    /// <summary>Largest volume accepted, in GB (1 PiB); Cinder has no fixed cap but sizes beyond this are typos.</summary>
    public const int MaxSizeGb = 1_048_576;

    public const int MaxNameLength = 255;

    private const string BackendNameKey = "volume_backend_name";

    private static readonly VolumeStatus[] Deletable =
        [VolumeStatus.Available, VolumeStatus.Error, VolumeStatus.ErrorDeleting, VolumeStatus.ErrorExtending];

    private static readonly SnapshotStatus[] SnapshotDeletable = [SnapshotStatus.Available, SnapshotStatus.Error, SnapshotStatus.ErrorDeleting];

    public async Task<Outcome<Volume>> CreateVolumeAsync(Caller caller, CreateVolumeRequest request, CancellationToken cancellationToken)
    {
        if ((ValidateText(request.Name, "name") ?? ValidateText(request.Description, "description")) is { } textError)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, textError);
        }

        if (request.SnapshotId is not null && request.SourceVolumeId is not null)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Give at most one of snapshot_id and source_volid.");
        }

        var zone = request.AvailabilityZone ?? configuration.StorageAvailabilityZone;
        if (!string.Equals(zone, configuration.StorageAvailabilityZone, StringComparison.Ordinal))
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Availability zone '{zone}' is invalid. Valid zones: {configuration.StorageAvailabilityZone}.");
        }

        Snapshot? snapshot = null;
        Volume? source = null;
        if (request.SnapshotId is { } snapshotId)
        {
            snapshot = await snapshots.FindAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null || !caller.Sees(snapshot.ProjectId))
            {
                return Outcome<Volume>.Refuse(Refusal.NotFound, $"Snapshot {snapshotId} could not be found.");
            }

            if (snapshot.Status != SnapshotStatus.Available)
            {
                return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Originating snapshot status must be one of 'available' values, but it is '{snapshot.Status.ToWireName()}'.");
            }
        }
        else if (request.SourceVolumeId is { } sourceId)
        {
            source = await volumes.FindAsync(sourceId, cancellationToken).ConfigureAwait(false);
            if (source is null || !caller.Sees(source.ProjectId))
            {
                return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {sourceId} could not be found.");
            }

            if (source.Status != VolumeStatus.Available)
            {
                return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Source volume status must be 'available', but it is '{source.Status.ToWireName()}'.");
            }
        }

        var minimum = snapshot?.SizeGb ?? source?.SizeGb ?? 1;
        var size = request.Size ?? snapshot?.SizeGb ?? source?.SizeGb;
        if (size is null)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Missing required element 'size': give the volume size in GB.");
        }

        if (size < minimum || size > MaxSizeGb)
        {
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest,
                minimum > 1
                    ? $"Volume size {size} GB is invalid: it must be at least the size of its source ({minimum} GB) and at most {MaxSizeGb} GB."
                    : $"Volume size {size} GB is invalid: it must be an integer from 1 to {MaxSizeGb}.");
        }

        // A copy keeps its source's type when the request names none, as in Cinder; a snapshot's is its volume's.
        var snapshotVolume = snapshot is null ? null : await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false);
        var sourceType = (source ?? snapshotVolume)?.VolumeTypeId is { } sourceTypeId ? await types.FindAsync(sourceTypeId, cancellationToken).ConfigureAwait(false) : null;
        // Then the project's default type (3.62), then the configured one, as Cinder's get_default_volume_type.
        var typeName = request.VolumeType ?? sourceType?.Id
            ?? await projectTypes.DefaultTypeIdAsync(caller.ProjectId, cancellationToken).ConfigureAwait(false)
            ?? configuration.DefaultVolumeType ?? VolumeType.DefaultName;
        var type = await types.FindAsync(typeName, cancellationToken).ConfigureAwait(false);

        // A private type is not there for a project without access, as in Cinder (VolumeTypeNotFound).
        if (type is null
            || (request.VolumeType is not null && !type.IsPublic && !caller.AllProjects
                && !await projectTypes.HasAccessAsync(type.Id, caller.ProjectId, cancellationToken).ConfigureAwait(false)))
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume type {typeName} could not be found.");
        }

        if (request.VolumeType is not null && sourceType is not null && type.Id != sourceType.Id && !CanCopyAcross(sourceType, type))
        {
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest,
                snapshot is null
                    ? $"Invalid volume_type provided: {type.Id} (requested type is not compatible; either match source volume, or omit type argument)."
                    : $"Invalid volume_type provided: {type.Id} (requested type is not compatible; recommend omitting the type argument).");
        }

        // A volume in a group must have one of the group's types and lives on the group's backend (the scheduler requires it).
        if (request.GroupId is { } groupId
            && await groups.CheckNewMemberAsync(caller, groupId, type, request.VolumeType is not null, cancellationToken).ConfigureAwait(false) is { Succeeded: false } groupRefusal)
        {
            return Outcome<Volume>.Refuse(groupRefusal.Refused!.Value, groupRefusal.Message!);
        }

        var sourceBackend = (source ?? snapshotVolume)?.BackendHost;

        if (sourceBackend is not null && NotReady(sourceBackend) is { } notReady)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot create a volume from {(snapshot is null ? "volume" : "snapshot")} {snapshot?.Id ?? source!.Id}: {notReady}");
        }

        var volume = new Volume
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = caller.ProjectId,
            UserId = caller.UserId,
            Name = request.Name,
            Description = request.Description,
            SizeGb = size.Value,
            Status = VolumeStatus.Creating,
            AvailabilityZone = zone,
            VolumeTypeId = type.Id,
            SourceSnapshotId = snapshot?.Id,
            SourceVolumeId = source?.Id,
            GroupId = request.GroupId,
            Metadata = request.Metadata ?? new Dictionary<string, string>(),
            CreatedAt = timeProvider.GetUtcNow(),
        };
        var added = await quotas.AddVolumeAsync(volume, type, cancellationToken).ConfigureAwait(false);
        if (added.Denial is { } overQuota)
        {
            return Outcome<Volume>.Refuse(Refusal.OverLimit, overQuota);
        }

        // Another request won between the reads above and the insert: refused as if it had come first.
        switch (added.Conflict)
        {
            case InsertConflict.TypeGone:
                return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume type {typeName} could not be found.");
            case InsertConflict.SourceNotAvailable when snapshot is not null:
                var snapshotNow = await snapshots.FindAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
                return snapshotNow is null
                    ? Outcome<Volume>.Refuse(Refusal.NotFound, $"Snapshot {snapshot.Id} could not be found.")
                    : Outcome<Volume>.Refuse(Refusal.BadRequest, $"Originating snapshot status must be one of 'available' values, but it is '{snapshotNow.Status.ToWireName()}'.");
            case InsertConflict.SourceNotAvailable:
                var sourceNow = await volumes.FindAsync(source!.Id, cancellationToken).ConfigureAwait(false);
                return sourceNow is null
                    ? Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {source.Id} could not be found.")
                    : Outcome<Volume>.Refuse(Refusal.BadRequest, $"Source volume status must be 'available', but it is '{sourceNow.Status.ToWireName()}'.");
        }

        await bus.SendOrUndoAsync(
            Queues.Scheduler, new ScheduleVolume(volume.Id), ct => volumes.TryRemoveAsync(volume.Id, VolumeStatus.Creating, ct), logger, cancellationToken).ConfigureAwait(false);
        return volume;
    }

    /// <summary>Deletes a volume; <paramref name="force"/> (admin's <c>os-force_delete</c>) skips the status check, as in Cinder.</summary>
    public async Task<Outcome<Volume>> DeleteVolumeAsync(Caller caller, string id, CancellationToken cancellationToken, bool force = false)
    {
        var volume = await FindVolumeAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        if (volume.Status == VolumeStatus.InUse || (!force && !Deletable.Contains(volume.Status)))
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume status must be available or error or error_extending or error_deleting, but current status is: {volume.Status.ToWireName()}.");
        }

        // Cinder deletes a group's volumes only with their group (even forced).
        if (volume.GroupId is { } memberOf)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} must not belong to a group; remove it from group {memberOf} or delete the group with delete-volumes.");
        }

        if (Core.Attachments.AttachmentRules.RefuseDelete(volume) is { } attached)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, attached);
        }

        if (volume.BackendHost is { } frozenBackend && await frozen.RefuseIfFrozenAsync(frozenBackend, cancellationToken).ConfigureAwait(false) is { } isFrozen)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, isFrozen);
        }

        if (volume.BackendHost is { } backend && NotReady(backend) is { } notReady)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot delete volume {volume.Id}: {notReady}");
        }

        // One conditional write decides against a snapshot or clone claiming the volume at the same moment.
        var claim = await volumes.TryBeginDeleteAsync(volume.Id, force ? [volume.Status] : Deletable, cancellationToken).ConfigureAwait(false);
        if (claim.Snapshots > 0)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} still has {claim.Snapshots} dependent snapshots.");
        }

        if (claim.VolumesBeingCreated > 0)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} is the source of {claim.VolumesBeingCreated} volume(s) being created.");
        }

        if (claim.Deleting is not { } deleting)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed status while the request was handled; try again.");
        }

        if (deleting.BackendHost is null)
        {
            // Never placed: nothing exists on any backend.
            await volumes.TryRemoveAsync(deleting.Id, VolumeStatus.Deleting, cancellationToken).ConfigureAwait(false);
            return deleting;
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(deleting.BackendHost), new DeleteVolume(deleting.Id), ct => volumes.TryUpdateAsync(deleting.Id, [VolumeStatus.Deleting], v => v with { Status = volume.Status, ErrorReason = volume.ErrorReason }, ct), logger, cancellationToken)
            .ConfigureAwait(false);
        return deleting;
    }

    public Task<Outcome<Volume>> ExtendVolumeAsync(Caller caller, string id, int? newSize, CancellationToken cancellationToken) =>
        ExtendVolumeAsync(caller, id, newSize, attachedAllowed: false, cancellationToken);

    /// <summary>
    /// <c>os-extend</c>: an <c>available</c> volume, or with <paramref name="attachedAllowed"/> (3.42) an
    /// <c>in-use</c> one, which returns to <c>in-use</c> (its pool must not report <c>online_extend_support</c> False).
    /// </summary>
    public async Task<Outcome<Volume>> ExtendVolumeAsync(Caller caller, string id, int? newSize, bool attachedAllowed, CancellationToken cancellationToken)
    {
        var volume = await FindVolumeAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        if (newSize is null)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Missing required element 'new_size' in os-extend.");
        }

        var attached = attachedAllowed && volume.Status == VolumeStatus.InUse;
        if (volume.Status != VolumeStatus.Available && !attached)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume status must be 'available' to extend, but it is '{volume.Status.ToWireName()}'.");
        }

        // Cinder's leading words (clients may match them), then the sizes, in one sentence per limit.
        if (newSize <= volume.SizeGb)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid input received: New size for extend must be greater than current size ({volume.SizeGb} GB); {newSize} GB was requested.");
        }

        if (newSize > MaxSizeGb)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid input received: New size for extend must be at most {MaxSizeGb} GB; {newSize} GB was requested.");
        }

        if (volume.BackendHost is not { } backend)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Volume {volume.Id} is not placed on any backend.");
        }

        if (NotReady(backend) is { } notReady)
        {
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Cannot extend volume {volume.Id}: {notReady}");
        }

        // The capacity filter a create passes, on the volume's own pool (Cinder: scheduler extend_volume).
        var type = volume.VolumeTypeId is null ? null : await types.FindAsync(volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        if (capacity.TryHold(volume, newSize.Value, type, out var hold) is { } noRoom)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, noRoom);
        }

        // The hold above counts this node's placements; the claim counts every node's, in the database.
        var (claimed, overQuota, poolFull) = await quotas.BeginExtendAsync(volume, newSize.Value, new PoolRoom(hold!.PoolName, hold.CeilingGb), cancellationToken).ConfigureAwait(false);
        if (overQuota is not null)
        {
            capacity.Release(hold);
            return Outcome<Volume>.Refuse(Refusal.OverLimit, overQuota);
        }

        if (poolFull is { } recorded)
        {
            capacity.Release(hold);
            PoolRoomLog.ExtendPoolFull(logger, volume.Id, hold.PoolName, recorded, hold.SizeGb, hold.CeilingGb);
            return Outcome<Volume>.Refuse(
                Refusal.BadRequest,
                string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"No valid backend was found. Cannot extend volume {volume.Id} by {hold.SizeGb} GB on {hold.PoolName}: no room ({recorded} GB recorded on it by every node, {hold.SizeGb} GB more would pass its {hold.CeilingGb:0.##} GB)."));
        }

        var extending = claimed ? await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false) : null;
        if (extending is null)
        {
            capacity.Release(hold);
            return Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed status while the request was handled; try again.");
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(backend),
            new ExtendVolume(extending.Id, newSize.Value, attached),
            async ct =>
            {
                capacity.Release(hold!);
                await volumes.TryUpdateAsync(extending.Id, [VolumeStatus.Extending], v => v with { Status = volume.Status }, ct).ConfigureAwait(false);
            },
            logger,
            cancellationToken).ConfigureAwait(false);
        return extending;
    }

    /// <summary>Admin: sets the status (and clears the error reason) without touching the backend.</summary>
    public async Task<Outcome<Volume>> ResetVolumeStatusAsync(Caller caller, string id, string? status, CancellationToken cancellationToken)
    {
        if (!StatusNames.TryParseVolume(status, out var target))
        {
            var valid = string.Join(", ", Enum.GetValues<VolumeStatus>().Select(s => s.ToWireName()));
            return Outcome<Volume>.Refuse(Refusal.BadRequest, $"Invalid status '{status}': must be one of {valid}.");
        }

        // Cinder's own refusals: deleting would strand the volume, in-use needs an attachment record.
        if (target == VolumeStatus.Deleting)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Cannot reset-state to deleting");
        }

        var volume = await FindVolumeAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        if (target == VolumeStatus.InUse && (await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, "Cannot reset-state to in-use because volume does not have any attachments.");
        }

        var updated = await volumes.TryUpdateAsync(volume.Id, [volume.Status], v => v with { Status = target, ErrorReason = null }, cancellationToken).ConfigureAwait(false);
        return updated is null
            ? Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed status while the request was handled; try again.")
            : updated;
    }

    public async Task<Outcome<Volume>> UpdateVolumeAsync(Caller caller, string id, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if ((ValidateText(name, "name") ?? ValidateText(description, "description")) is { } textError)
        {
            return Outcome<Volume>.Refuse(Refusal.BadRequest, textError);
        }

        var volume = await FindVolumeAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Volume>.Refuse(Refusal.NotFound, $"Volume {id} could not be found.");
        }

        var updated = await volumes.TryUpdateAsync(
            volume.Id,
            [volume.Status],
            v => v with { Name = name ?? v.Name, Description = description ?? v.Description, Metadata = metadata ?? v.Metadata },
            cancellationToken).ConfigureAwait(false);
        return updated is null
            ? Outcome<Volume>.Refuse(Refusal.Conflict, $"Volume {volume.Id} changed status while the request was handled; try again.")
            : updated;
    }

    public async Task<Outcome<Snapshot>> CreateSnapshotAsync(Caller caller, CreateSnapshotRequest request, CancellationToken cancellationToken)
    {
        if ((ValidateText(request.Name, "name") ?? ValidateText(request.Description, "description")) is { } textError)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, textError);
        }

        if (string.IsNullOrWhiteSpace(request.VolumeId))
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, "Missing required element 'volume_id' in snapshot.");
        }

        var volume = await FindVolumeAsync(caller, request.VolumeId, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Outcome<Snapshot>.Refuse(Refusal.NotFound, $"Volume {request.VolumeId} could not be found.");
        }

        // Cinder asks first (_create_snapshot: assert_not_frozen), before the volume's status.
        if (volume.BackendHost is { } frozenBackend && await frozen.RefuseIfFrozenAsync(frozenBackend, cancellationToken).ConfigureAwait(false) is { } isFrozen)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, isFrozen);
        }

        if (Core.Attachments.AttachmentRules.RefuseSnapshot(volume, request.Force) is { } refused)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, refused);
        }

        if (NotReady(volume.BackendHost!) is { } notReady)
        {
            return Outcome<Snapshot>.Refuse(Refusal.Conflict, $"Cannot snapshot volume {volume.Id}: {notReady}");
        }

        var snapshot = new Snapshot
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = caller.ProjectId,
            UserId = caller.UserId,
            VolumeId = volume.Id,
            Name = request.Name,
            Description = request.Description,
            SizeGb = volume.SizeGb,
            Status = SnapshotStatus.Creating,
            Metadata = request.Metadata ?? new Dictionary<string, string>(),
            CreatedAt = timeProvider.GetUtcNow(),
        };
        var added = await quotas.AddSnapshotAsync(snapshot, volume.VolumeTypeId, cancellationToken).ConfigureAwait(false);
        if (added.Denial is { } overQuota)
        {
            return Outcome<Snapshot>.Refuse(Refusal.OverLimit, overQuota);
        }

        if (added.Conflict != InsertConflict.None)
        {
            // A delete or extend claimed the volume first: refused as if it had come first.
            var now = await volumes.FindAsync(volume.Id, cancellationToken).ConfigureAwait(false);
            return now is null
                ? Outcome<Snapshot>.Refuse(Refusal.NotFound, $"Volume {volume.Id} could not be found.")
                : Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Invalid volume: Volume {volume.Id} status must be available, but current status is: {now.Status.ToWireName()}.");
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(volume.BackendHost!), new CreateSnapshot(snapshot.Id), ct => snapshots.TryRemoveAsync(snapshot.Id, SnapshotStatus.Creating, ct), logger, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <summary>Deletes a snapshot; <paramref name="force"/> (admin's <c>os-force_delete</c>) skips the status check, as in Cinder.</summary>
    public async Task<Outcome<Snapshot>> DeleteSnapshotAsync(Caller caller, string id, CancellationToken cancellationToken, bool force = false)
    {
        var snapshot = await snapshots.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || !caller.Sees(snapshot.ProjectId))
        {
            return Outcome<Snapshot>.Refuse(Refusal.NotFound, $"Snapshot {id} could not be found.");
        }

        if (!force && !SnapshotDeletable.Contains(snapshot.Status))
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Invalid snapshot: Snapshot status must be available or error or error_deleting, but current status is: {snapshot.Status.ToWireName()}.");
        }

        if (snapshot.GroupSnapshotId is { } groupSnapshotId)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Invalid snapshot: Snapshot {snapshot.Id} must not be part of a group; delete group snapshot {groupSnapshotId} instead.");
        }

        var volume = await volumes.FindAsync(snapshot.VolumeId, cancellationToken).ConfigureAwait(false);
        if (volume?.BackendHost is { } frozenBackend && await frozen.RefuseIfFrozenAsync(frozenBackend, cancellationToken).ConfigureAwait(false) is { } isFrozen)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, isFrozen);
        }

        if (volume?.BackendHost is { } backend && NotReady(backend) is { } notReady)
        {
            return Outcome<Snapshot>.Refuse(Refusal.Conflict, $"Cannot delete snapshot {snapshot.Id}: {notReady}");
        }

        // One conditional write decides against a volume being created from the snapshot at the same moment.
        var claim = await snapshots.TryBeginDeleteAsync(snapshot.Id, force ? [snapshot.Status] : SnapshotDeletable, cancellationToken).ConfigureAwait(false);
        if (claim.VolumesBeingCreated > 0)
        {
            return Outcome<Snapshot>.Refuse(Refusal.BadRequest, $"Invalid snapshot: Snapshot {snapshot.Id} is the source of {claim.VolumesBeingCreated} volume(s) being created.");
        }

        if (claim.Deleting is not { } deleting)
        {
            return Outcome<Snapshot>.Refuse(Refusal.Conflict, $"Snapshot {snapshot.Id} changed status while the request was handled; try again.");
        }

        if (volume?.BackendHost is null)
        {
            await snapshots.TryRemoveAsync(deleting.Id, SnapshotStatus.Deleting, cancellationToken).ConfigureAwait(false);
            return deleting;
        }

        await bus.SendOrUndoAsync(
            Queues.Volume(volume.BackendHost), new DeleteSnapshot(deleting.Id), ct => snapshots.TryUpdateAsync(deleting.Id, [SnapshotStatus.Deleting], s => s with { Status = snapshot.Status, ErrorReason = snapshot.ErrorReason }, ct), logger, cancellationToken)
            .ConfigureAwait(false);
        return deleting;
    }

    /// <summary>
    /// Cinder's <c>_retype_is_possible</c> for a copy given another type than its source's: allowed when
    /// one backend serves everything, or both types name the same <c>volume_backend_name</c> (or neither names one).
    /// </summary>
    private bool CanCopyAcross(VolumeType source, VolumeType target) =>
        backends.All.Count == 1
        || string.Equals(source.ExtraSpecs.GetValueOrDefault(BackendNameKey), target.ExtraSpecs.GetValueOrDefault(BackendNameKey), StringComparison.Ordinal);

    private static string? ValidateText(string? value, string field) =>
        value is { Length: > MaxNameLength } ? $"Invalid input: {field} has {value.Length} characters, more than {MaxNameLength}." : null;

    private async Task<Volume?> FindVolumeAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return volume is not null && caller.Sees(volume.ProjectId) ? volume : null;
    }

    /// <summary>Null when the backend takes requests; otherwise why not, naming its state.</summary>
    private string? NotReady(string backendHost)
    {
        var state = backends.Find(backendHost);
        if (state is null)
        {
            return $"Backend {backendHost} is not known to this service.";
        }

        return state.State.IsSchedulable() ? null : Core.Volumes.VolumeManager.NotReadyReason(state);
    }
}
