using Kiln.Core.Volumes;

namespace Kiln.Server.Tests.Persistence;

/// <summary>Volumes and snapshots with every field set, for tests to vary with <c>with</c>.</summary>
internal static class Samples
{
    public static Volume Volume(string id, string project = "p1", VolumeStatus status = VolumeStatus.Available, string? host = "node@fast#pool-1") => new()
    {
        Id = id,
        ProjectId = project,
        Name = $"name-{id}",
        Description = $"description of {id}",
        SizeGb = 10,
        Status = status,
        Host = host,
        AvailabilityZone = "zone-a",
        VolumeTypeId = "type-1",
        SourceSnapshotId = "snap-0",
        SourceVolumeId = "vol-0",
        ProviderLocation = $"/data/{id}.img",
        ProviderAuth = $"CHAP user-{id} secret-{id}",
        ProviderId = $"array-{id}",
        ErrorReason = null,
        Metadata = new Dictionary<string, string> { ["purpose"] = "test", ["ünïcode"] = "välue \"quoted\"" },
        CreatedAt = TestDatabase.Start,
        UpdatedAt = null,
    };

    public static Snapshot Snapshot(string id, string volumeId, string project = "p1", SnapshotStatus status = SnapshotStatus.Available) => new()
    {
        Id = id,
        ProjectId = project,
        VolumeId = volumeId,
        Name = $"name-{id}",
        Description = $"description of {id}",
        SizeGb = 10,
        Status = status,
        ProviderLocation = $"/data/{id}.snap",
        ProviderAuth = $"CHAP user-{id} secret-{id}",
        ProviderId = $"array-{id}",
        ErrorReason = null,
        Metadata = new Dictionary<string, string> { ["kind"] = "daily" },
        CreatedAt = TestDatabase.Start,
        UpdatedAt = null,
    };
}
