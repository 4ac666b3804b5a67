namespace Kiln.Cli.Client;

/// <summary>Snapshot requests.</summary>
internal sealed partial class KilnApiClient
{
    public Task<IReadOnlyList<SnapshotRecord>> ListSnapshotsAsync(string? name, string? volumeId, CancellationToken cancellationToken) =>
        ListAllAsync("snapshots/detail", "snapshots", [("name", name), ("volume_id", volumeId)], SnapshotRecord.FromJson, s => s.Id, cancellationToken);

    /// <summary>The snapshot, or null when it does not exist (404).</summary>
    public Task<SnapshotRecord?> FindSnapshotAsync(string id, CancellationToken cancellationToken) =>
        OrNullWhenNotFound(GetSnapshotAsync(id, cancellationToken));

    public async Task<SnapshotRecord> GetSnapshotAsync(string id, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"snapshots/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
        return SnapshotRecord.FromJson(body.GetProperty("snapshot"));
    }

    public async Task<SnapshotRecord> CreateSnapshotAsync(string volumeId, string? name, string? description, CancellationToken cancellationToken)
    {
        var snapshot = new Dictionary<string, object?> { ["volume_id"] = volumeId };
        Add(snapshot, "name", name);
        Add(snapshot, "description", description);
        var body = await SendAsync(HttpMethod.Post, "snapshots", new Dictionary<string, object> { ["snapshot"] = snapshot }, cancellationToken).ConfigureAwait(false);
        return SnapshotRecord.FromJson(body.GetProperty("snapshot"));
    }

    public async Task DeleteSnapshotAsync(string id, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"snapshots/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
}
