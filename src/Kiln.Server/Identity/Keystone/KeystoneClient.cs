using System.Net.Http.Json;
using Kiln.Server.Configuration;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// The two calls Kiln makes to Keystone, through the resilient named client (retries and timeouts in
/// <see cref="KeystoneHttp"/>). Any HTTP status is returned as an answer; a failure to get one
/// (refused, timed out) throws, as HttpClient does.
/// </summary>
internal sealed class KeystoneClient(IHttpClientFactory httpClients, KeystoneOptions options)
{
    private const string SubjectTokenHeader = "X-Subject-Token";
    private const string AuthTokenHeader = "X-Auth-Token";

    private readonly Uri tokens = KeystoneEndpoint.Tokens(options.AuthUrl);

    /// <summary>Where Kiln's calls go, for messages.</summary>
    public Uri TokensUri => tokens;

    /// <summary><c>POST /v3/auth/tokens</c> with Kiln's password: the service token is in the X-Subject-Token header.</summary>
    public async Task<KeystoneAnswer> IssueServiceTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokens)
        {
            Content = JsonContent.Create(PasswordAuthRequest.For(options), KeystoneJsonContext.Default.PasswordAuthRequest),
        };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /v3/auth/tokens</c> with a user's password (the dashboard's login): the token is in the X-Subject-Token header.</summary>
    public async Task<KeystoneAnswer> IssueTokenAsync(PasswordAuthRequest credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokens)
        {
            Content = JsonContent.Create(credentials, KeystoneJsonContext.Default.PasswordAuthRequest),
        };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v3/auth/tokens</c>: <paramref name="serviceToken"/> asks about <paramref name="subjectToken"/>.</summary>
    public async Task<KeystoneAnswer> ValidateAsync(string serviceToken, string subjectToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, tokens);
        request.Headers.Add(AuthTokenHeader, serviceToken);
        request.Headers.Add(SubjectTokenHeader, subjectToken);
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<KeystoneAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(KeystoneHttp.ClientName);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body of an error can quote the subject token (Keystone's 404 does): never read it.
            return new KeystoneAnswer(response.StatusCode, null, null);
        }

        var subject = response.Headers.TryGetValues(SubjectTokenHeader, out var values) ? values.FirstOrDefault() : null;
        var body = await response.Content.ReadFromJsonAsync(KeystoneJsonContext.Default.KeystoneTokenEnvelope, cancellationToken).ConfigureAwait(false);
        return new KeystoneAnswer(response.StatusCode, subject, body?.Token);
    }
}
