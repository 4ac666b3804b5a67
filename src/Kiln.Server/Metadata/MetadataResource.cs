using Kiln.Server.Policy;

namespace Kiln.Server.Metadata;

/// <summary>One resource whose metadata the API serves: its name in messages, its policy rules and its store.</summary>
internal sealed record MetadataResource(string Kind, string GetRule, string CreateRule, string UpdateRule, string DeleteRule, Func<IServiceProvider, IMetadataStore> Store)
{
    public static readonly MetadataResource Volume = new(
        "Volume",
        CinderPolicyRules.VolumeMetadataGet,
        CinderPolicyRules.VolumeMetadataCreate,
        CinderPolicyRules.VolumeMetadataUpdate,
        CinderPolicyRules.VolumeMetadataDelete,
        services => services.GetRequiredService<VolumeMetadataStore>());

    // Cinder guards creating snapshot metadata with the update rule: there is no create_snapshot_metadata.
    public static readonly MetadataResource Snapshot = new(
        "Snapshot",
        "volume:get_snapshot_metadata",
        "volume:update_snapshot_metadata",
        "volume:update_snapshot_metadata",
        "volume:delete_snapshot_metadata",
        services => services.GetRequiredService<SnapshotMetadataStore>());
}
