using Kiln.Core.Volumes;

namespace Kiln.Server.Api;

/// <summary>Volume types as Cinder shows them to an admin (noauth): extra specs, QoS id and the type-access flag.</summary>
internal static class TypeView
{
    public static Dictionary<string, object?> Of(VolumeType type) => new()
    {
        ["id"] = type.Id,
        ["name"] = type.Name,
        ["is_public"] = type.IsPublic,
        ["description"] = type.Description,
        ["extra_specs"] = type.ExtraSpecs,
        // Kiln has no QoS specs.
        ["qos_specs_id"] = null,
        ["os-volume-type-access:is_public"] = type.IsPublic,
    };

    public static IResult Json(VolumeType type, int status = StatusCodes.Status200OK) =>
        Results.Json(new Dictionary<string, object?> { ["volume_type"] = Of(type) }, statusCode: status);
}
