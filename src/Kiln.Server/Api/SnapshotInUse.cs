using System.Text.Json;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// Snapshots of in-use volumes: before 3.66 only with <c>force</c>; from 3.66 (Cinder's SNAPSHOT_IN_USE)
/// always, and an explicit <c>"force": false</c> is refused with Cinder's message (true is ignored).
/// </summary>
internal static class SnapshotInUse
{
    public static ApiVersion Version { get; } = new(3, 66);

    public const string ForceFalseMessage =
        "Since microversion 3.66 the 'force' flag is invalid for this request.  For backward compatability, however, when the 'force' flag is passed with a value evaluating to True, it is silently ignored.";

    /// <summary>The request as the volume service should see it at the negotiated microversion, or Cinder's refusal.</summary>
    public static (CreateSnapshotRequest? Request, string? Error) Apply(HttpContext http, JsonElement body, CreateSnapshotRequest request)
    {
        if (MicroversionFilter.Of(http) < Version)
        {
            return (request, null);
        }

        if (body.TryGetProperty("snapshot", out var snapshot) && snapshot.TryGetProperty("force", out var force) && IsFalse(force))
        {
            return (null, ForceFalseMessage);
        }

        return (request with { Force = true }, null);
    }

    private static bool IsFalse(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False => true,
        JsonValueKind.String => BooleanText.TryParse(value.GetString(), out var parsed) && !parsed,
        _ => false,
    };
}
