using Kiln.Server.Volumes;

namespace Kiln.Server.Metadata;

/// <summary>The user metadata of one kind of resource (volumes or snapshots), stored as JSON on its row.</summary>
internal interface IMetadataStore
{
    /// <summary>The resource as the caller sees it; null when it does not exist or belongs to a project the caller cannot see.</summary>
    Task<MetadataOwner?> FindAsync(Caller caller, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the metadata with <paramref name="change"/> applied to the stored metadata, guarded by the
    /// status <paramref name="owner"/> was read in, like every other update; returns the metadata stored.
    /// </summary>
    Task<Outcome<IReadOnlyDictionary<string, string>>> ChangeAsync(
        MetadataOwner owner, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken);
}

/// <summary>What the metadata endpoints need of a volume or snapshot.</summary>
internal sealed record MetadataOwner(string Id, string ProjectId, string Status, IReadOnlyDictionary<string, string> Metadata);
