using Kiln.Core.Volumes;

namespace Kiln.Server.Messages;

/// <summary>
/// Which status changes tell the user something went wrong, and in what words: every change into an
/// error status that carries a reason. Decided where the status is written (in the same transaction),
/// so no path that fails a volume or snapshot can forget to tell its owner.
/// </summary>
internal static class UserMessageRules
{
    /// <summary>Cinder's <c>message_ttl</c> default: 30 days.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromDays(30);

    // Cinder's message_field actions (id, words) for the operations Kiln runs.
    private static readonly (string Id, string Words) AllocateVolume = ("001", "schedule allocate volume");
    private static readonly (string Id, string Words) ExtendVolume = ("006", "extend volume");
    private static readonly (string Id, string Words) CreateVolumeFromBackend = ("007", "create volume from backend storage");
    private static readonly (string Id, string Words) SnapshotCreate = ("008", "create snapshot");
    private static readonly (string Id, string Words) SnapshotDelete = ("009", "delete snapshot");
    private static readonly (string Id, string Words) DeleteVolume = ("013", "delete volume");

    // Cinder's message_field details: an unknown error, or no backend could take the volume.
    private const string UnknownError = "001";
    private const string NoBackendAvailable = "003";

    /// <summary>The message a volume's change from <paramref name="before"/> to <paramref name="after"/> calls for, or null.</summary>
    public static UserMessage? For(Volume before, Volume after, DateTimeOffset now)
    {
        if (after.ErrorReason is not { Length: > 0 } reason || after.Status == before.Status)
        {
            return null;
        }

        (string Id, string Words)? action = (before.Status, after.Status) switch
        {
            (VolumeStatus.Creating, VolumeStatus.Error) when after.Host is null => AllocateVolume,
            (VolumeStatus.Creating, VolumeStatus.Error) => CreateVolumeFromBackend,
            (VolumeStatus.Extending, VolumeStatus.ErrorExtending or VolumeStatus.Error) => ExtendVolume,
            (VolumeStatus.Deleting, VolumeStatus.ErrorDeleting or VolumeStatus.Error) => DeleteVolume,
            _ => null,
        };
        if (action is not { } known)
        {
            return null;
        }

        var detail = known == AllocateVolume ? NoBackendAvailable : UnknownError;
        return Create(after.ProjectId, "VOLUME", after.Id, known, detail, reason, now);
    }

    /// <summary>The message a snapshot's change calls for, or null.</summary>
    public static UserMessage? For(Snapshot before, Snapshot after, DateTimeOffset now)
    {
        if (after.ErrorReason is not { Length: > 0 } reason || after.Status == before.Status)
        {
            return null;
        }

        (string Id, string Words)? action = (before.Status, after.Status) switch
        {
            (SnapshotStatus.Creating, SnapshotStatus.Error) => SnapshotCreate,
            (SnapshotStatus.Deleting, SnapshotStatus.ErrorDeleting or SnapshotStatus.Error) => SnapshotDelete,
            _ => null,
        };
        return action is { } known ? Create(after.ProjectId, "VOLUME_SNAPSHOT", after.Id, known, UnknownError, reason, now) : null;
    }

    private static UserMessage Create(string projectId, string resourceType, string resourceId, (string Id, string Words) action, string detail, string reason, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString(),
        ProjectId = projectId,
        RequestId = $"req-{Guid.NewGuid()}",
        ResourceType = resourceType,
        ResourceUuid = resourceId,
        EventId = $"VOLUME_{resourceType}_{action.Id}_{detail}",
        Text = $"{action.Words}: {reason}",
        CreatedAt = now,
        ExpiresAt = now + TimeToLive,
    };
}
