using System.Text.Json;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>The fields of a snapshot update (<c>PUT /snapshots/{id}</c>).</summary>
internal sealed record SnapshotUpdate(string? Name, string? Description);

/// <summary>Checks the JSON of snapshot create and update requests against Cinder's schemas.</summary>
internal static class SnapshotRequestReader
{
    private static readonly string[] UpdateFields = ["name", "description", "display_name", "display_description"];

    public static (CreateSnapshotRequest? Request, string? Error) ReadCreate(JsonElement body, int maxMetadataItems)
    {
        var (snapshot, rootError) = BodyReader.Root(body, "snapshot");
        if (rootError is not null)
        {
            return (null, rootError);
        }

        snapshot!.OnlyKnown("name", "display_name", "description", "volume_id", "force", "metadata");
        snapshot.Require("volume_id");
        var request = new CreateSnapshotRequest
        {
            Name = snapshot.String("name") ?? snapshot.String("display_name"),
            Description = snapshot.String("description"),
            VolumeId = snapshot.Uuid("volume_id"),
            Force = snapshot.Boolean("force") ?? false,
            Metadata = snapshot.Metadata("metadata", maxMetadataItems),
        };
        return snapshot.Failed ? (null, snapshot.Error) : (request, null);
    }

    public static (SnapshotUpdate? Update, string? Error) ReadUpdate(JsonElement body)
    {
        var (snapshot, rootError) = BodyReader.Root(body, "snapshot");
        if (rootError is not null)
        {
            return (null, rootError);
        }

        snapshot!.OnlyKnown(UpdateFields);
        var update = new SnapshotUpdate(
            snapshot.String("name") ?? snapshot.String("display_name"),
            snapshot.String("description") ?? snapshot.String("display_description"));
        if (!snapshot.Failed && !UpdateFields.Any(snapshot.Has))
        {
            snapshot.Fail("Invalid input for field/attribute snapshot: give at least one of name, description, display_name and display_description.");
        }

        return snapshot.Failed ? (null, snapshot.Error) : (update, null);
    }
}
