namespace Kiln.Cli.Client;

/// <summary>
/// The HTTP settings every request of the client shares, Keystone's and Kiln's: the same timeouts,
/// the same User-Agent, and a timeout reported as "no answer" rather than as a cancellation.
/// </summary>
internal static class CliHttp
{
    public static TimeSpan RequestTimeout { get; } = TimeSpan.FromSeconds(30);

    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(10);

    public static HttpClient Create(Uri? baseAddress = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout })
        {
            BaseAddress = baseAddress,
            Timeout = RequestTimeout,
        };
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"kiln-cli/{CliVersion.Short}");
        return http;
    }

    /// <summary>Sends the request; throws <see cref="HttpRequestException"/> when the server cannot be reached or does not answer in time.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; to the caller it means "no answer".
            throw new HttpRequestException($"no answer within {RequestTimeout.TotalSeconds} s", ex);
        }
    }
}
