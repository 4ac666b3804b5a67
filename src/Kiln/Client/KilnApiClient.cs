using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kiln.Server.Api;

namespace Kiln.Cli.Client;

/// <summary>
/// A small typed client of Kiln's Cinder v3 API for one project. Errors come back as
/// <see cref="KilnApiException"/> (the server answered) or <see cref="HttpRequestException"/> (it could not be reached).
/// </summary>
internal sealed partial class KilnApiClient : IDisposable
{
    /// <summary>
    /// The microversion every request asks for. Pinned rather than "latest": 3.49 is the first with
    /// <c>backend_state</c>, and a newer server must keep answering in the shapes this client reads.
    /// </summary>
    public const string Microversion = "3.49";

    public const string MicroversionHeader = "OpenStack-API-Version";

    /// <summary>The Keystone token header, as keystonemiddleware reads it.</summary>
    public const string AuthTokenHeader = "X-Auth-Token";

    // The server caps pages at 1000 (osapi_max_limit); lists follow markers until a short page.
    private const int PageSize = 1000;

    private readonly HttpClient http;

    /// <param name="baseAddress">The project's API, ending in '/': <c>http://host:8776/v3/PROJECT/</c>.</param>
    /// <param name="token">The Keystone token sent on every request, or null (noauth).</param>
    public KilnApiClient(Uri baseAddress, string? token)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        http = CliHttp.Create(baseAddress);
        http.DefaultRequestHeaders.Add(MicroversionHeader, $"volume {Microversion}");
        // Kiln's own fields (a backend's lifecycle on os-services, error_reason) are left out of standard
        // Cinder answers unless asked for; the client shows them, so every request asks. The server's
        // constant, so the two cannot drift apart.
        http.DefaultRequestHeaders.Add(KilnExtensions.HeaderName, "true");
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add(AuthTokenHeader, token);
        }
    }

    public void Dispose() => http.Dispose();

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>Every item of a paged collection, following markers.</summary>
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(
        string path, string collection, IEnumerable<(string Name, string? Value)> filters, Func<JsonElement, T> parse, Func<T, string> idOf, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? marker = null;
        while (true)
        {
            var query = Query([.. filters, ("limit", PageSize.ToString(CultureInfo.InvariantCulture)), ("marker", marker)]);
            var body = await SendAsync(HttpMethod.Get, path + query, null, cancellationToken).ConfigureAwait(false);
            var page = body.Array(collection).Select(parse).ToList();
            items.AddRange(page);
            if (page.Count < PageSize)
            {
                return items;
            }

            marker = idOf(page[^1]);
        }
    }

    /// <summary>The answer's body (default when empty); throws <see cref="KilnApiException"/> for an error status.</summary>
    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await CliHttp.SendAsync(http, request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new KilnApiException(response.StatusCode, ErrorBody.Message(text) ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {request.RequestUri}")
            {
                Challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : response.Headers.WwwAuthenticate.ToString(),
            };
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Null for 404, so callers can tell "gone" from other failures.</summary>
    private static async Task<T?> OrNullWhenNotFound<T>(Task<T> request)
        where T : class
    {
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (KilnApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
