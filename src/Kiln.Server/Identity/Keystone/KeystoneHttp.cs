using System.Net.Http.Headers;
using Kiln.Server.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;
using Polly.Timeout;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// The named HttpClient for Keystone: each attempt bounded by http_connect_timeout, up to
/// http_request_max_retries retries with exponential backoff and jitter (keystoneauth's 0.5 s first
/// delay) for failures to connect, timeouts and 5xx. A 4xx is an answer, never retried.
/// </summary>
internal static class KeystoneHttp
{
    public const string ClientName = "Kiln.Keystone";

    /// <summary>keystoneauth's first connect-retry delay; each retry doubles it, with jitter.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest wait between two attempts: a user's request is waiting.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    private const string PipelineName = "keystone";

    // Polly refuses attempt timeouts under 10 ms; http_connect_timeout accepts 1 ms.
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);

    public static void AddKeystoneHttpClient(this IServiceCollection services, KeystoneOptions options)
    {
        services.AddHttpClient(ClientName, client =>
            {
                // The pipeline's timeouts apply; HttpClient's 100 s default would cut retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = 1 << 20;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Kiln", null));
            })
            // Four Information lines per call would bury the log; Kiln logs what matters (Log.cs).
            .RemoveAllLoggers()
            .AddResilienceHandler(PipelineName, pipeline =>
            {
                if (options.HttpRequestMaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.HttpRequestMaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = FirstRetryDelay,
                        MaxDelay = MaxRetryDelay,
                        // A Retry-After of minutes would hold the user's request that long.
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(options.HttpConnectTimeout < ShortestTimeout ? ShortestTimeout : options.HttpConnectTimeout);
            });

        // Polly logs each retry at Warning and each timeout at Error: during an outage, lines per
        // request. KeystoneAvailability logs the outage once; Polly's events of this client go to Debug.
        services.Configure<TelemetryOptions>(telemetry =>
        {
            var previous = telemetry.SeverityProvider;
            telemetry.SeverityProvider = args => IsKeystonePipeline(args.Source.PipelineName)
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
        });
    }

    /// <summary>Worth another attempt: no answer (refused, reset, timed out) or a 5xx.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && (int)response.StatusCode >= 500);

    private static bool IsKeystonePipeline(string? pipelineName) =>
        pipelineName is not null && pipelineName.StartsWith(ClientName, StringComparison.Ordinal);
}
