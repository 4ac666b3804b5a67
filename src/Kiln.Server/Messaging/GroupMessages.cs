namespace Kiln.Server.Messaging;

/// <summary>To the scheduler: place a group in <c>creating</c> on a backend that serves all its volume types.</summary>
public sealed record ScheduleGroup(string GroupId) : KilnMessage;

/// <summary>To a backend: delete a group in <c>deleting</c> and its volumes (all in <c>deleting</c>).</summary>
public sealed record DeleteGroup(string GroupId) : KilnMessage;

/// <summary>To a backend: create the volumes of a group made from a group snapshot or a source group.</summary>
public sealed record CreateGroupFromSource(string GroupId) : KilnMessage;

/// <summary>To a backend: take the snapshots of a group snapshot in <c>creating</c> as one set.</summary>
public sealed record CreateGroupSnapshot(string GroupSnapshotId) : KilnMessage;

/// <summary>To a backend: delete a group snapshot in <c>deleting</c> and its snapshots.</summary>
public sealed record DeleteGroupSnapshot(string GroupSnapshotId) : KilnMessage;
