namespace Kiln.Cli.Client;

/// <summary>Volume transfer requests (<c>os-volume-transfer</c>, which every microversion serves).</summary>
internal sealed partial class KilnApiClient
{
    public Task<IReadOnlyList<TransferRecord>> ListTransfersAsync(bool allProjects, CancellationToken cancellationToken) =>
        ListAllAsync("os-volume-transfer/detail", "transfers", [("all_tenants", allProjects ? "1" : null)], TransferRecord.FromJson, t => t.Id, cancellationToken);

    public async Task<TransferRecord> CreateTransferAsync(string volumeId, string? name, CancellationToken cancellationToken)
    {
        var transfer = new Dictionary<string, object?> { ["volume_id"] = volumeId };
        Add(transfer, "name", name);
        var body = await SendAsync(HttpMethod.Post, "os-volume-transfer", new Dictionary<string, object> { ["transfer"] = transfer }, cancellationToken).ConfigureAwait(false);
        return TransferRecord.FromJson(body.GetProperty("transfer"));
    }

    public async Task<TransferRecord> AcceptTransferAsync(string id, string authKey, CancellationToken cancellationToken)
    {
        var accept = new Dictionary<string, object> { ["accept"] = new Dictionary<string, object> { ["auth_key"] = authKey } };
        var body = await SendAsync(HttpMethod.Post, $"os-volume-transfer/{Uri.EscapeDataString(id)}/accept", accept, cancellationToken).ConfigureAwait(false);
        return TransferRecord.FromJson(body.GetProperty("transfer"));
    }

    public async Task DeleteTransferAsync(string id, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"os-volume-transfer/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
}
