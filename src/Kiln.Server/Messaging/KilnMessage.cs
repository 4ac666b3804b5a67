using System.Text.Json.Serialization;

namespace Kiln.Server.Messaging;

/// <summary>
/// A request from one role to another. Messages carry ids only: the receiver reads the current
/// record, so a late or repeated delivery acts on the truth, not on a stale copy.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ScheduleVolume), "schedule_volume")]
[JsonDerivedType(typeof(CreateVolume), "create_volume")]
[JsonDerivedType(typeof(DeleteVolume), "delete_volume")]
[JsonDerivedType(typeof(ExtendVolume), "extend_volume")]
[JsonDerivedType(typeof(CreateSnapshot), "create_snapshot")]
[JsonDerivedType(typeof(DeleteSnapshot), "delete_snapshot")]
[JsonDerivedType(typeof(RevertToSnapshot), "revert_to_snapshot")]
[JsonDerivedType(typeof(MigrateVolume), "migrate_volume")]
[JsonDerivedType(typeof(ScheduleGroup), "schedule_group")]
[JsonDerivedType(typeof(DeleteGroup), "delete_group")]
[JsonDerivedType(typeof(CreateGroupFromSource), "create_group_from_source")]
[JsonDerivedType(typeof(CreateGroupSnapshot), "create_group_snapshot")]
[JsonDerivedType(typeof(DeleteGroupSnapshot), "delete_group_snapshot")]
[JsonDerivedType(typeof(ReinitBackend), "reinit_backend")]
public abstract record KilnMessage;

/// <summary>To the scheduler: place a volume in <c>creating</c> and hand it to its backend.</summary>
public sealed record ScheduleVolume(string VolumeId) : KilnMessage;

/// <summary>To a backend: create the placed volume.</summary>
public sealed record CreateVolume(string VolumeId) : KilnMessage;

/// <summary>To a backend: delete a volume in <c>deleting</c>.</summary>
public sealed record DeleteVolume(string VolumeId) : KilnMessage;

/// <summary>To a backend: grow a volume in <c>extending</c>; <paramref name="Attached"/> when it was <c>in-use</c> (3.42) and returns to it.</summary>
public sealed record ExtendVolume(string VolumeId, int NewSizeGb, bool Attached = false) : KilnMessage;

/// <summary>To a backend: take a snapshot in <c>creating</c>.</summary>
public sealed record CreateSnapshot(string SnapshotId) : KilnMessage;

/// <summary>To a backend: delete a snapshot in <c>deleting</c>.</summary>
public sealed record DeleteSnapshot(string SnapshotId) : KilnMessage;

/// <summary>To a backend: revert a volume in <c>reverting</c> to its snapshot in <c>restoring</c>.</summary>
public sealed record RevertToSnapshot(string VolumeId, string SnapshotId) : KilnMessage;

/// <summary>
/// To the source backend: copy a volume claimed for migration to <paramref name="DestinationHost"/>
/// (<c>host@backend#pool</c>) and switch it there, with <paramref name="NewTypeId"/> when a retype asked for it.
/// </summary>
public sealed record MigrateVolume(string VolumeId, string DestinationHost, string? NewTypeId) : KilnMessage;

/// <summary>To a backend: an operator's manual re-initialization (<c>os-services/reinit</c>) sent from an API node that does not run it.</summary>
public sealed record ReinitBackend(string BackendHost) : KilnMessage;

/// <summary>Queue names shared by every messaging implementation.</summary>
public static class Queues
{
    public const string Scheduler = "kiln.scheduler";

    /// <summary>The queue of one backend, <c>host@backend</c>.</summary>
    public static string Volume(string backendHost) => $"kiln.volume.{backendHost}";
}
