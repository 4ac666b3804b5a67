using Kiln.Core.Volumes;
using Kiln.Server.Policy;

namespace Kiln.Server.Api;

/// <summary>
/// Volume types exactly as Cinder shows them: extra specs and the QoS id where policy allows them;
/// the type-access flag on show, list and create (Cinder's type-access extension), never on update.
/// </summary>
internal static class TypeView
{
    /// <summary>Which of Cinder's responses a view is for: they carry different optional fields.</summary>
    public enum Shape
    {
        /// <summary>Show and list.</summary>
        Show,

        /// <summary>The answer to a create: Cinder's create view has no QoS id.</summary>
        Create,

        /// <summary>The answer to an update: neither the QoS id nor the type-access flag.</summary>
        Update,
    }

    public static Dictionary<string, object?> Of(VolumeType type, ViewContext context, Shape shape = Shape.Show)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = type.Id,
            ["name"] = type.Name,
            ["is_public"] = type.IsPublic,
            ["description"] = type.Description,
        };
        if (context.May(CinderPolicyRules.TypeAccessExtraSpecs))
        {
            view["extra_specs"] = type.ExtraSpecs;
        }

        if (shape == Shape.Show && context.May(CinderPolicyRules.TypeAccessQosSpecsId))
        {
            view["qos_specs_id"] = type.QosSpecsId;
        }

        if (shape != Shape.Update && context.May(CinderPolicyRules.TypeAccess))
        {
            view["os-volume-type-access:is_public"] = type.IsPublic;
        }

        return view;
    }

    public static IResult Json(VolumeType type, ViewContext context, Shape shape = Shape.Show) =>
        Results.Json(new Dictionary<string, object?> { ["volume_type"] = Of(type, context, shape) });
}
