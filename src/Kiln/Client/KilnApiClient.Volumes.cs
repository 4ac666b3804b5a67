namespace Kiln.Cli.Client;

/// <summary>Volume requests.</summary>
internal sealed partial class KilnApiClient
{
    public Task<IReadOnlyList<VolumeRecord>> ListVolumesAsync(string? name, string? status, CancellationToken cancellationToken, bool allProjects = false) =>
        ListAllAsync("volumes/detail", "volumes", [("name", name), ("status", status), ("all_tenants", allProjects ? "1" : null)], VolumeRecord.FromJson, v => v.Id, cancellationToken);

    /// <summary>The volume, or null when it does not exist (404).</summary>
    public Task<VolumeRecord?> FindVolumeAsync(string id, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(GetVolumeAsync(id, cancellationToken));

    public async Task<VolumeRecord> GetVolumeAsync(string id, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"volumes/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
        return VolumeRecord.FromJson(body.GetProperty("volume"));
    }

    public async Task<VolumeRecord> CreateVolumeAsync(VolumeCreateRequest create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var volume = new Dictionary<string, object?>();
        Add(volume, "size", create.Size);
        Add(volume, "name", create.Name);
        Add(volume, "description", create.Description);
        Add(volume, "volume_type", create.VolumeType);
        Add(volume, "snapshot_id", create.SnapshotId);
        Add(volume, "source_volid", create.SourceVolumeId);
        var body = await SendAsync(HttpMethod.Post, "volumes", new Dictionary<string, object> { ["volume"] = volume }, cancellationToken).ConfigureAwait(false);
        return VolumeRecord.FromJson(body.GetProperty("volume"));
    }

    public async Task ExtendVolumeAsync(string id, int newSize, CancellationToken cancellationToken)
    {
        var action = new Dictionary<string, object> { ["os-extend"] = new Dictionary<string, int> { ["new_size"] = newSize } };
        await SendAsync(HttpMethod.Post, $"volumes/{Uri.EscapeDataString(id)}/action", action, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteVolumeAsync(string id, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"volumes/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);

    // Only the fields given are sent, so the server applies its own defaults to the others.
    private static void Add(Dictionary<string, object?> body, string name, object? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}

/// <summary>What <c>kiln volume create</c> asks for; null fields are left to the server's defaults.</summary>
internal sealed record VolumeCreateRequest(int? Size, string? Name, string? Description, string? VolumeType, string? SnapshotId, string? SourceVolumeId);
