using System.Text.Json;
using Kiln.Core.Volumes;
using Kiln.Server.Identity;
using Kiln.Server.Policy;
using Kiln.Server.Volumes;

namespace Kiln.Server.Api;

/// <summary>
/// The volume actions that only change flags Cinder keeps in its database: <c>os-set_bootable</c>
/// (the <c>bootable</c> column; 200) and <c>os-update_readonly_flag</c> (admin metadata
/// <c>readonly</c>; 202). No driver is called, so neither waits for the volume's backend to be ready.
/// </summary>
internal static class VolumeFlagActions
{
    public const string SetBootable = "os-set_bootable";
    public const string UpdateReadonly = "os-update_readonly_flag";

    /// <summary>Whether <paramref name="action"/> is one of these; <see cref="VolumeActionsEndpoints"/> hands it here.</summary>
    public static bool Handles(string action) => action is SetBootable or UpdateReadonly;

    /// <summary>Runs <paramref name="action"/> (one of <see cref="Handles"/>) from the body <paramref name="body"/>.</summary>
    public static async Task<IResult> ActAsync(HttpContext http, string projectId, string id, JsonProperty action, JsonElement body)
    {
        var field = action.Name == SetBootable ? "bootable" : "readonly";
        var (arguments, rootError) = BodyReader.Root(body, action.Name);
        if (rootError is not null)
        {
            return Refusals.BadRequest(rootError);
        }

        arguments!.OnlyKnown(field);
        arguments.Require(field);
        var flag = arguments.Boolean(field);
        if (!arguments.Failed && flag is null)
        {
            arguments.Fail($"Invalid input for field/attribute {field}. Value: None. None is not a boolean: give true or false.");
        }

        if (arguments.Failed)
        {
            return Refusals.BadRequest(arguments.Error!);
        }

        var volumes = http.RequestServices.GetRequiredService<IVolumeRepository>();
        var cancellationToken = http.RequestAborted;
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (volume is null || !Caller.Of(http, projectId).Sees(volume.ProjectId))
        {
            return Refusals.NotFound($"Volume {id} could not be found.");
        }

        var rule = action.Name == SetBootable ? CinderPolicyRules.VolumeUpdate : CinderPolicyRules.VolumeUpdateReadonlyFlag;
        if (http.Deny(rule, volume.ProjectId) is { } denied)
        {
            return denied;
        }

        return action.Name == SetBootable
            ? await SetBootableAsync(volumes, volume, flag!.Value, cancellationToken).ConfigureAwait(false)
            : await UpdateReadonlyAsync(volumes, volume, flag!.Value, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> SetBootableAsync(IVolumeRepository volumes, Volume volume, bool bootable, CancellationToken cancellationToken)
    {
        if (volume.Status == VolumeStatus.Maintenance)
        {
            return Refusals.BadRequest("Invalid volume: The volume cannot be updated during maintenance.");
        }

        var updated = await volumes.TryUpdateAsync(volume.Id, [volume.Status], v => v with { Bootable = bootable }, cancellationToken).ConfigureAwait(false);
        return updated is null ? Changed(volume) : Results.Ok();
    }

    private static async Task<IResult> UpdateReadonlyAsync(IVolumeRepository volumes, Volume volume, bool readOnly, CancellationToken cancellationToken)
    {
        if (volume.Status != VolumeStatus.Available)
        {
            return Refusals.BadRequest(
                $"Invalid volume: Volume {volume.Id} status must be available to update readonly flag, but current status is: {volume.Status.ToWireName()}.");
        }

        var updated = await volumes.TryUpdateAsync(
            volume.Id,
            [VolumeStatus.Available],
            v => v with { AdminMetadata = new Dictionary<string, string>(v.AdminMetadata, StringComparer.Ordinal) { [VolumeAdminMetadata.ReadOnly] = readOnly ? "True" : "False" } },
            cancellationToken).ConfigureAwait(false);
        return updated is null ? Changed(volume) : Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static IResult Changed(Volume volume) =>
        Refusals.Conflict($"Volume {volume.Id} changed status while the request was handled; try again.");
}
