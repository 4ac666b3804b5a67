namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Logs each rejected token at Debug and a count at Information at most once per
/// <see cref="SummaryInterval"/>, so that a client retrying with an expired token cannot flood the log.
/// </summary>
internal sealed class RejectionLog(TimeProvider time, ILoggerFactory loggerFactory)
{
    /// <summary>The shortest time between two counts.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger logger = loggerFactory.CreateLogger(Log.Category);
    private readonly Lock gate = new();
    private int count;
    private DateTimeOffset? since;

    public void Rejected(string reason)
    {
        Log.TokenRejected(logger, reason);
        var now = time.GetUtcNow();
        int total;
        DateTimeOffset from;
        lock (gate)
        {
            since ??= now;
            count++;
            if (now - since.Value < SummaryInterval)
            {
                return;
            }

            (total, from, count, since) = (count, since.Value, 0, now);
        }

        Log.TokensRejected(logger, total, from);
    }
}
