namespace Kiln.Cli.Client;

/// <summary>QoS specs (<c>/qos-specs</c>, admin).</summary>
internal sealed partial class KilnApiClient
{
    public async Task<IReadOnlyList<QosSpecsRecord>> ListQosSpecsAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "qos-specs", null, cancellationToken).ConfigureAwait(false);
        return [.. body.Array("qos_specs").Select(QosSpecsRecord.FromJson)];
    }

    /// <summary>The specs with this id, with the names of the types associated with them.</summary>
    public async Task<QosSpecsRecord> GetQosSpecsAsync(string id, CancellationToken cancellationToken)
    {
        var escaped = Uri.EscapeDataString(id);
        var body = await SendAsync(HttpMethod.Get, $"qos-specs/{escaped}", null, cancellationToken).ConfigureAwait(false);
        var associations = await SendAsync(HttpMethod.Get, $"qos-specs/{escaped}/associations", null, cancellationToken).ConfigureAwait(false);
        return QosSpecsRecord.FromJson(body.GetProperty("qos_specs")) with
        {
            AssociatedTypes = [.. associations.Array("qos_associations").Select(a => a.RequiredString("name"))],
        };
    }

    public async Task<QosSpecsRecord> CreateQosSpecsAsync(string name, string? consumer, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken)
    {
        var qos = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name };
        foreach (var (key, value) in specs)
        {
            qos[key] = value;
        }

        Add(qos, "consumer", consumer);
        var body = await SendAsync(HttpMethod.Post, "qos-specs", new Dictionary<string, object> { ["qos_specs"] = qos }, cancellationToken).ConfigureAwait(false);
        return QosSpecsRecord.FromJson(body.GetProperty("qos_specs"));
    }
}
