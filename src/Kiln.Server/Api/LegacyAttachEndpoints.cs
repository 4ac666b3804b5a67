using System.Text.Json;
using Kiln.Server.Attachments;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// The legacy attach actions of <c>POST /v3/{project_id}/volumes/{id}/action</c> (<c>os-reserve</c>,
/// <c>os-unreserve</c>, <c>os-begin_detaching</c>, <c>os-roll_detaching</c>, <c>os-attach</c>,
/// <c>os-detach</c>, <c>os-force_detach</c>): bodies checked against Cinder's schemas, the volume looked
/// up (404) before Cinder's policy rule is checked against it, 202 with no body.
/// </summary>
internal static class LegacyAttachEndpoints
{
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        ["os-reserve"] = CinderPolicyRules.VolumeReserve,
        ["os-unreserve"] = CinderPolicyRules.VolumeUnreserve,
        ["os-begin_detaching"] = CinderPolicyRules.VolumeBeginDetaching,
        ["os-roll_detaching"] = CinderPolicyRules.VolumeRollDetaching,
        ["os-attach"] = CinderPolicyRules.VolumeAttach,
        ["os-detach"] = CinderPolicyRules.VolumeDetach,
        ["os-force_detach"] = CinderPolicyRules.VolumeForceDetach,
    };

    /// <summary>Whether <paramref name="action"/> is one of these (the action endpoint hands it over).</summary>
    public static bool Handles(string action) => Rules.ContainsKey(action);

    public static async Task<IResult> ActAsync(HttpContext http, string projectId, string id, JsonProperty action)
    {
        var arguments = action.Value;
        var (check, error) = action.Name switch
        {
            "os-attach" => Read(arguments, nullable: false, ["instance_uuid", "mountpoint", "host_name", "mode"]),
            "os-detach" => Read(arguments, nullable: true, ["attachment_id"]),
            "os-force_detach" => Read(arguments, nullable: true, ["attachment_id", "connector"]),
            // os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching: Cinder's schema takes any value.
            _ => (null, null),
        };
        if (error is not null)
        {
            return Refusals.BadRequest(error);
        }

        string? instance = null, hostName = null, mountpoint = null, mode = null, attachmentId = null;
        Kiln.Core.Drivers.ConnectorInfo? connector = null;
        if (check is not null)
        {
            instance = check.Uuid("instance_uuid");
            hostName = check.String("host_name");
            mountpoint = check.String("mountpoint", minLength: 1);
            mode = check.String("mode", nullable: false);
            attachmentId = check.Uuid("attachment_id");
            if (action.Name == "os-attach")
            {
                check.Require("mountpoint");
                if (!check.Has("instance_uuid") && !check.Has("host_name"))
                {
                    check.Fail("Invalid input for field/attribute os-attach: give instance_uuid or host_name.");
                }

                if (mode is not null and not ("rw" or "ro"))
                {
                    check.Fail($"Invalid input for field/attribute mode. Value: {mode}. '{mode}' is not one of ['rw', 'ro'].");
                }
            }

            if (check.Failed)
            {
                return Refusals.BadRequest(check.Error!);
            }

            if (action.Name == "os-force_detach" && arguments.TryGetProperty("connector", out var element))
            {
                var (read, connectorError) = ConnectorReader.Read(element, nullMeansEveryHost: true);
                if (connectorError is not null)
                {
                    return Refusals.BadRequest(connectorError);
                }

                connector = read;
            }
        }

        var cancellationToken = http.RequestAborted;
        var service = http.RequestServices.GetRequiredService<AttachmentService>();
        var legacy = http.RequestServices.GetRequiredService<LegacyAttachActions>();
        var volume = await service.FindVolumeAsync(Caller.Of(http, projectId), id, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        if (http.Deny(Rules[action.Name], volume.ProjectId) is { } denied)
        {
            return denied;
        }

        var outcome = action.Name switch
        {
            "os-reserve" => await legacy.ReserveAsync(volume, cancellationToken).ConfigureAwait(false),
            "os-unreserve" => await legacy.UnreserveAsync(volume, cancellationToken).ConfigureAwait(false),
            "os-begin_detaching" => await legacy.BeginDetachingAsync(volume, cancellationToken).ConfigureAwait(false),
            "os-roll_detaching" => await legacy.RollDetachingAsync(volume, cancellationToken).ConfigureAwait(false),
            "os-attach" => Done(await legacy.AttachAsync(volume, instance, hostName, mountpoint!, mode ?? "rw", cancellationToken).ConfigureAwait(false), volume),
            "os-detach" => await legacy.DetachAsync(volume, attachmentId, force: false, null, cancellationToken).ConfigureAwait(false),
            _ => await legacy.DetachAsync(volume, attachmentId, force: true, connector, cancellationToken).ConfigureAwait(false),
        };
        return outcome.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Refusals.From(outcome);
    }

    private static (BodyReader? Reader, string? Error) Read(JsonElement arguments, bool nullable, string[] known)
    {
        if (nullable && arguments.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return (null, BodyReader.Invalid("action", arguments, $"{arguments.GetRawText()} is not of type 'object'{(nullable ? ", 'null'" : string.Empty)}."));
        }

        var reader = new BodyReader(arguments, "action");
        reader.OnlyKnown(known);
        return (reader, null);
    }

    private static Outcome<Core.Volumes.Volume> Done<T>(Outcome<T> outcome, Core.Volumes.Volume volume) =>
        outcome.Succeeded ? volume : Outcome<Core.Volumes.Volume>.Refuse(outcome.Refused!.Value, outcome.Message!);
}
