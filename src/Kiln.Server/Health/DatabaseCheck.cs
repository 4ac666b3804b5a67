using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Health;

/// <summary>
/// Whether the database answers a trivial query, remembered for <see cref="CacheFor"/>: probes from a
/// load balancer, an orchestrator and a monitoring system together cost at most one query a second, and
/// concurrent probes share the query in flight.
/// </summary>
internal sealed partial class DatabaseCheck(IDatabasePing ping, DatabaseStartup startup, TimeProvider timeProvider, ILogger<DatabaseCheck> logger)
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";
    public const string Timeout = "timeout";

    /// <summary>The start-up migrations have not finished yet.</summary>
    public const string Starting = "starting";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    // Longer than any healthy query, shorter than the usual probe timeouts of orchestrators.
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private Task<string>? last;
    private DateTimeOffset lastFinishedAt;
    private string lastLogged = Ok;

    /// <summary><see cref="Ok"/>, <see cref="Starting"/>, <see cref="Unavailable"/> or <see cref="Timeout"/>.</summary>
    public Task<string> CheckAsync()
    {
        if (!startup.IsComplete)
        {
            return Task.FromResult(startup.Failure is null ? Starting : Unavailable);
        }

        lock (gate)
        {
            if (last is not null && (!last.IsCompleted || timeProvider.GetUtcNow() - lastFinishedAt < CacheFor))
            {
                return last;
            }

            last = RunAsync();
            return last;
        }
    }

    private async Task<string> RunAsync()
    {
        string result;
        Exception? error = null;
        using (var timeout = new CancellationTokenSource(QueryTimeout, timeProvider))
        {
            try
            {
                await ping.PingAsync(timeout.Token).ConfigureAwait(false);
                result = Ok;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                result = Timeout;
            }
            catch (Exception ex)
            {
                // The reason goes to the log, not to an unauthenticated endpoint.
                result = Unavailable;
                error = ex;
            }
        }

        lock (gate)
        {
            lastFinishedAt = timeProvider.GetUtcNow();

            // One line per change, not one per probe.
            if (result != lastLogged)
            {
                lastLogged = result;
                if (result == Ok)
                {
                    LogRecovered(logger);
                }
                else
                {
                    LogFailed(logger, result, error);
                }
            }
        }

        return result;
    }

    [LoggerMessage(800, LogLevel.Warning, "Readiness: the database check failed ({Result}); /healthz/ready answers 503 until it passes")]
    private static partial void LogFailed(ILogger logger, string result, Exception? exception);

    [LoggerMessage(801, LogLevel.Information, "Readiness: the database answers again")]
    private static partial void LogRecovered(ILogger logger);
}
