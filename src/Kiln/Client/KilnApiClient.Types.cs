namespace Kiln.Cli.Client;

/// <summary>Volume type and extra spec requests.</summary>
internal sealed partial class KilnApiClient
{
    /// <summary>Every type, private ones included (<c>is_public=none</c>): an operator manages them all.</summary>
    public Task<IReadOnlyList<VolumeTypeRecord>> ListTypesAsync(CancellationToken cancellationToken) =>
        ListAllAsync("types", "volume_types", [("is_public", "none")], VolumeTypeRecord.FromJson, t => t.Id, cancellationToken);

    /// <summary>The type with this id or name, or null when there is none (404).</summary>
    public Task<VolumeTypeRecord?> FindTypeAsync(string idOrName, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(GetTypeAsync(idOrName, cancellationToken));

    public async Task<VolumeTypeRecord> GetTypeAsync(string idOrName, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"types/{Uri.EscapeDataString(idOrName)}", null, cancellationToken).ConfigureAwait(false);
        return VolumeTypeRecord.FromJson(body.GetProperty("volume_type"));
    }

    public async Task<VolumeTypeRecord> CreateTypeAsync(string name, string? description, CancellationToken cancellationToken)
    {
        var type = new Dictionary<string, object?> { ["name"] = name };
        Add(type, "description", description);
        var body = await SendAsync(HttpMethod.Post, "types", new Dictionary<string, object> { ["volume_type"] = type }, cancellationToken).ConfigureAwait(false);
        return VolumeTypeRecord.FromJson(body.GetProperty("volume_type"));
    }

    /// <summary>Adds or overwrites extra specs of the type with id <paramref name="typeId"/>.</summary>
    public async Task SetExtraSpecsAsync(string typeId, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object> { ["extra_specs"] = specs };
        await SendAsync(HttpMethod.Post, $"types/{Uri.EscapeDataString(typeId)}/extra_specs", body, cancellationToken).ConfigureAwait(false);
    }
}
