using System.Net;
using System.Net.Http.Json;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;

namespace Kiln.Cli.Identity;

/// <summary>
/// Asks Keystone v3 for a project-scoped token with the password or token method. One token per
/// process: a command authenticates once and uses the token for all its requests. Failures are
/// <see cref="CliException"/>s with the client's exit codes and messages that never show a secret.
/// </summary>
internal sealed class KeystoneClient : IDisposable
{
    private readonly HttpClient http = CliHttp.Create();

    /// <summary>
    /// <c>{auth_url}/auth/tokens</c> when the URL ends in <c>/v3</c>, else <c>{auth_url}/v3/auth/tokens</c>,
    /// as keystoneauth's v3 plugins build it (<c>http://keystone:5000</c> and <c>http://host/identity</c> work too).
    /// </summary>
    public static Uri TokensUrl(Uri authUrl)
    {
        ArgumentNullException.ThrowIfNull(authUrl);
        var path = authUrl.AbsolutePath.TrimEnd('/');
        var versioned = path.EndsWith("/v3", StringComparison.OrdinalIgnoreCase);
        return new UriBuilder(authUrl) { Path = path + (versioned ? "/auth/tokens" : "/v3/auth/tokens"), Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    public async Task<KeystoneToken> IssueTokenAsync(AuthSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var url = TokensUrl(settings.AuthUrl!);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(TokenRequest.For(settings), KeystoneJson.Default.TokenRequest),
        };
        if (settings.Type == AuthType.Token)
        {
            // keystoneauth's token method sends the token in the header as well as in the body.
            request.Headers.Add(KilnApiClient.AuthTokenHeader, settings.Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await CliHttp.SendAsync(http, request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach Keystone at {settings.AuthUrl} ({OpenStackVariables.AuthUrl}): {ex.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Refused(response, body, url, settings);
            }

            var id = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
            var token = KeystoneToken.FromResponse(
                string.IsNullOrWhiteSpace(id) ? throw new CliException(ExitCodes.Unexpected, $"Keystone's answer from {url} has no X-Subject-Token") : id,
                body);
            return token.ProjectId is not null
                ? token
                : throw new CliException(
                    ExitCodes.Usage,
                    $"Keystone issued a token without a project ({settings.Describe()}): set {OpenStackVariables.ProjectName} or {OpenStackVariables.ProjectId}");
        }
    }

    public void Dispose() => http.Dispose();

    private static CliException Refused(HttpResponseMessage response, string body, Uri url, AuthSettings settings)
    {
        var message = ErrorBody.Message(body) ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        var context = $"({settings.Describe()}, from {string.Join(", ", settings.Variables)})";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.NotAuthorized, $"Keystone refused the credentials: {message} {context}"),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.NotAuthorized, $"Keystone does not allow this authentication: {message} {context}"),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.Usage, $"Keystone cannot use the credentials given: {message} {context}"),
            HttpStatusCode.NotFound => new CliException(ExitCodes.Usage, $"no Keystone v3 token API at {url} (HTTP 404): check {OpenStackVariables.AuthUrl}"),
            _ => new CliException(ExitCodes.Unexpected, $"Keystone at {url} answered HTTP {(int)response.StatusCode}: {message}"),
        };
    }
}
