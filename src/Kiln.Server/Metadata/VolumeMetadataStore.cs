using Kiln.Core.Volumes;
using Kiln.Server.Volumes;

namespace Kiln.Server.Metadata;

/// <summary>Volume metadata; refused in the statuses where Cinder refuses it (maintenance, uploading).</summary>
internal sealed class VolumeMetadataStore(IVolumeRepository volumes) : IMetadataStore
{
    public async Task<MetadataOwner?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var volume = await volumes.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return volume is null || !caller.Sees(volume.ProjectId)
            ? null
            : new MetadataOwner(volume.Id, volume.ProjectId, volume.Status.ToWireName(), volume.Metadata);
    }

    public async Task<Outcome<IReadOnlyDictionary<string, string>>> ChangeAsync(
        MetadataOwner owner, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!StatusNames.TryParseVolume(owner.Status, out var status) || status is VolumeStatus.Maintenance or VolumeStatus.Uploading)
        {
            return Outcome<IReadOnlyDictionary<string, string>>.Refuse(
                Refusal.BadRequest, $"Invalid volume: Updating volume metadata is not allowed for volumes in {owner.Status} status.");
        }

        var updated = await volumes.TryUpdateAsync(owner.Id, [status], v => v with { Metadata = change(v.Metadata) }, cancellationToken).ConfigureAwait(false);
        return updated is null
            ? Outcome<IReadOnlyDictionary<string, string>>.Refuse(Refusal.Conflict, $"Volume {owner.Id} changed status while the request was handled; try again.")
            : new Outcome<IReadOnlyDictionary<string, string>>(updated.Metadata, null, null);
    }
}
