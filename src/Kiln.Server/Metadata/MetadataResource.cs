namespace Kiln.Server.Metadata;

/// <summary>One resource whose metadata the API serves: its name in messages, its policy rules and its store.</summary>
internal sealed record MetadataResource(string Kind, string GetRule, string CreateRule, string UpdateRule, string DeleteRule, Func<IServiceProvider, IMetadataStore> Store)
{
    public static readonly MetadataResource Volume = new(
        "Volume",
        "volume:get_volume_metadata",
        "volume:create_volume_metadata",
        "volume:update_volume_metadata",
        "volume:delete_volume_metadata",
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
