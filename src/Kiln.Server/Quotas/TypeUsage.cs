namespace Kiln.Server.Quotas;

/// <summary>A project's volumes and snapshots of one volume type, as counted from their rows.</summary>
public readonly record struct TypeUsage(long Volumes, long VolumeGigabytes, long Snapshots, long SnapshotGigabytes, long ReservedGigabytes);
