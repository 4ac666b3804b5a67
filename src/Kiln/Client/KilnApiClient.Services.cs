namespace Kiln.Cli.Client;

/// <summary>os-services, backend re-initialization and pools.</summary>
internal sealed partial class KilnApiClient
{
    public async Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "os-services", null, cancellationToken).ConfigureAwait(false);
        return [.. body.Array("services").Select(ServiceRecord.FromJson)];
    }

    /// <summary>The volume service of backend <paramref name="host"/> (<c>host@backend</c>), or null when it has no record.</summary>
    public async Task<ServiceRecord?> FindBackendAsync(string host, CancellationToken cancellationToken) =>
        (await ListServicesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Host == host && s.DriverState is not null);

    /// <summary>Asks for a re-initialization now; returns the backend's service entry as the server saw it when accepting.</summary>
    public async Task<ServiceRecord?> ReinitAsync(string host, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Put, "os-services/reinit", new Dictionary<string, string> { ["host"] = host }, cancellationToken).ConfigureAwait(false);
        return body.ValueKind == System.Text.Json.JsonValueKind.Object
            && body.TryGetProperty("service", out var service)
            && service.ValueKind == System.Text.Json.JsonValueKind.Object
                ? ServiceRecord.FromJson(service)
                : null;
    }

    public async Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "scheduler-stats/get_pools?detail=true", null, cancellationToken).ConfigureAwait(false);
        return [.. body.Array("pools").Select(PoolRecord.FromJson)];
    }
}
