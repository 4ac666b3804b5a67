using Kiln.Core.Volumes;
using Kiln.Server.Volumes;

namespace Kiln.Server.Metadata;

/// <summary>Snapshot metadata; Cinder allows it in every status.</summary>
internal sealed class SnapshotMetadataStore(ISnapshotRepository snapshots) : IMetadataStore
{
    public async Task<MetadataOwner?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return snapshot is null || !caller.Sees(snapshot.ProjectId)
            ? null
            : new MetadataOwner(snapshot.Id, snapshot.ProjectId, snapshot.Status.ToWireName(), snapshot.Metadata);
    }

    public async Task<Outcome<IReadOnlyDictionary<string, string>>> ChangeAsync(
        MetadataOwner owner, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var updated = !StatusNames.TryParseSnapshot(owner.Status, out var status) ? null : await snapshots.TryUpdateAsync(owner.Id, [status], s => s with { Metadata = change(s.Metadata) }, cancellationToken).ConfigureAwait(false);
        return updated is null
            ? Outcome<IReadOnlyDictionary<string, string>>.Refuse(Refusal.Conflict, $"Snapshot {owner.Id} changed status while the request was handled; try again.")
            : new Outcome<IReadOnlyDictionary<string, string>>(updated.Metadata, null, null);
    }
}
