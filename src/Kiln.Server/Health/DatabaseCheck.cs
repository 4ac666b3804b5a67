using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Health;

/// <summary>
/// Whether the database answers a trivial query, takes this process's writes (a full disk lets reads pass)
/// and is still the file at its path (<see cref="DatabaseFileWatch"/>), remembered for <see cref="CacheFor"/>: probes from a
/// load balancer, an orchestrator and a monitoring system together cost at most one query a second, and
/// concurrent probes share the query in flight.
/// </summary>
internal sealed partial class DatabaseCheck(
    IDatabasePing ping, DatabaseStartup startup, DatabaseWriter writer, DatabaseFileWatch file, TimeProvider timeProvider, ILogger<DatabaseCheck> logger)
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";
    public const string Timeout = "timeout";

    /// <summary>The database answers but cannot be used: writes fail, or its file was deleted or replaced.</summary>
    public const string Failing = "failing";

    /// <summary>The start-up migrations have not finished yet.</summary>
    public const string Starting = "starting";

    /// <summary>Reason with <see cref="Failing"/>: the file at the database's path is gone.</summary>
    public const string FileDeletedReason = "database file deleted";

    /// <summary>Reason with <see cref="Failing"/>: the file at the database's path is another file than the one open.</summary>
    public const string FileReplacedReason = "database file replaced";

    /// <summary>Reason with <see cref="Failing"/> is this followed by the cause (<c>disk full</c>, <c>I/O error</c>, …).</summary>
    public const string WritesFailingReasonPrefix = "database writes failing: ";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    // Longer than any healthy query, shorter than the usual probe timeouts of orchestrators.
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private Task<DatabaseStatus>? last;
    private DateTimeOffset lastFinishedAt;
    private string lastLogged = Ok;

    /// <summary>
    /// <see cref="Ok"/>, <see cref="Starting"/>, <see cref="Unavailable"/>, <see cref="Timeout"/> or
    /// <see cref="Failing"/> with its reason (<c>database writes failing: disk full</c>, <c>database file deleted</c>).
    /// </summary>
    public Task<DatabaseStatus> CheckAsync()
    {
        if (!startup.IsComplete)
        {
            return Task.FromResult(new DatabaseStatus(startup.Failure is null ? Starting : Unavailable));
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

    private async Task<DatabaseStatus> RunAsync()
    {
        string result;
        string? problem = null;
        Exception? error = null;
        using (var timeout = new CancellationTokenSource(QueryTimeout, timeProvider))
        {
            try
            {
                await ping.PingAsync(timeout.Token).ConfigureAwait(false);
                problem = file.Problem() ?? (writer.WriteHealth.Failure is { } failure ? WritesFailingReasonPrefix + failure : null);
                result = problem is null ? Ok : Failing;
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
            var logged = problem ?? result;
            if (logged != lastLogged)
            {
                lastLogged = logged;
                if (result == Ok)
                {
                    LogRecovered(logger);
                }
                else if (problem is not null)
                {
                    LogProblem(logger, problem, file.Path ?? "the database");
                }
                else
                {
                    LogFailed(logger, result, error);
                }
            }
        }

        return new DatabaseStatus(result, problem);
    }

    [LoggerMessage(800, LogLevel.Warning, "Readiness: the database check failed ({Result}); /healthz/ready answers 503 until it passes")]
    private static partial void LogFailed(ILogger logger, string result, Exception? exception);

    [LoggerMessage(801, LogLevel.Information, "Readiness: the database answers again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(1910, LogLevel.Error, "Readiness: {Problem} ({Database}); /healthz/ready answers 503 until it is resolved")]
    private static partial void LogProblem(ILogger logger, string problem, string database);
}

/// <summary>The database check's result: a status, and for <see cref="DatabaseCheck.Failing"/> why.</summary>
internal sealed record DatabaseStatus(string Status, string? Reason = null)
{
    public bool IsOk => Status == DatabaseCheck.Ok;
}
