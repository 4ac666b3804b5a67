using Kiln.Core.Attachments;
using Kiln.Core.Volumes;
using Kiln.Server.Identity;

namespace Kiln.Server.Api;

/// <summary>What a volume's view shows of its attachments: the <c>attachments</c> list and <c>multiattach</c> (from its type, as Cinder sets it).</summary>
internal sealed record VolumeAttachmentFields(IReadOnlyList<VolumeAttachment> Attachments, bool Multiattach)
{
    public static VolumeAttachmentFields None { get; } = new([], false);

    /// <summary>The entries of the <c>attachments</c> list (host names for administrators and services, as in Cinder).</summary>
    public List<Dictionary<string, object?>> Entries(ViewContext context) =>
        AttachmentView.OfVolume(Attachments, context.IsAdmin || (RequestContext.Find(context.Request.HttpContext)?.Roles.Contains("service") ?? false));

    /// <summary>The fields of one volume whose type is <paramref name="type"/>.</summary>
    public static async Task<VolumeAttachmentFields> OfAsync(Volume volume, VolumeType? type, HttpContext http, CancellationToken cancellationToken)
    {
        var attachments = http.RequestServices.GetRequiredService<IAttachmentRepository>();
        var list = await attachments.ListByVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        return new VolumeAttachmentFields(list, AttachmentRules.IsMultiattach(type));
    }

    /// <summary>The fields of each volume of a page, read in one query.</summary>
    public static async Task<Func<Volume, VolumeAttachmentFields>> OfPageAsync(
        IReadOnlyList<Volume> volumes, IReadOnlyDictionary<string, VolumeType> types, HttpContext http, CancellationToken cancellationToken)
    {
        var attachments = http.RequestServices.GetRequiredService<IAttachmentRepository>();
        var byVolume = await attachments.ListByVolumesAsync([.. volumes.Select(v => v.Id)], cancellationToken).ConfigureAwait(false);
        return volume => new VolumeAttachmentFields(
            byVolume.GetValueOrDefault(volume.Id) ?? [],
            volume.VolumeTypeId is not null && AttachmentRules.IsMultiattach(types.GetValueOrDefault(volume.VolumeTypeId)));
    }
}
