namespace Kiln.Core.Drivers;

/// <summary>
/// What a driver's <c>update_provider_info</c> returned: the new <c>provider_id</c> of volumes and snapshots, by their id.
/// Ids that are not the backend's are ignored, as cinder-volume ignores them.
/// </summary>
public sealed record ProviderIdUpdates(IReadOnlyDictionary<string, string> Volumes, IReadOnlyDictionary<string, string> Snapshots)
{
    /// <summary>No change.</summary>
    public static ProviderIdUpdates None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}
