namespace Kiln.Cli.Client;

/// <summary>Quotas (<c>os-quota-sets</c>) and user messages (<c>/messages</c>).</summary>
internal sealed partial class KilnApiClient
{
    /// <summary>The project this client speaks for: the last segment of its base address (<c>…/v3/PROJECT/</c>).</summary>
    public string Project => http.BaseAddress!.Segments[^1].TrimEnd('/');

    /// <summary>The quota set of <paramref name="project"/> (default: this client's), with usage when <paramref name="usage"/>.</summary>
    public async Task<IReadOnlyList<QuotaRecord>> GetQuotasAsync(string? project, bool usage, CancellationToken cancellationToken)
    {
        var target = Uri.EscapeDataString(project ?? Project);
        var body = await SendAsync(HttpMethod.Get, $"os-quota-sets/{target}{(usage ? "?usage=True" : string.Empty)}", null, cancellationToken).ConfigureAwait(false);
        return QuotaRecord.FromQuotaSet(body.GetProperty("quota_set"));
    }

    /// <summary>Sets limits of <paramref name="project"/> (administrators); the quota set as it is afterwards.</summary>
    public async Task<IReadOnlyList<QuotaRecord>> SetQuotasAsync(string? project, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken)
    {
        var target = Uri.EscapeDataString(project ?? Project);
        var body = await SendAsync(HttpMethod.Put, $"os-quota-sets/{target}", new Dictionary<string, object> { ["quota_set"] = limits }, cancellationToken).ConfigureAwait(false);
        return QuotaRecord.FromQuotaSet(body.GetProperty("quota_set"));
    }

    public async Task<IReadOnlyList<MessageRecord>> ListMessagesAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "messages", null, cancellationToken).ConfigureAwait(false);
        return [.. body.Array("messages").Select(MessageRecord.FromJson)];
    }
}
