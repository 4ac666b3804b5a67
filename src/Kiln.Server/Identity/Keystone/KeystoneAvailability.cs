namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Logs Keystone's outages by their edges: the first failure at Error with its exception, the next
/// ones at Debug, the first answer after them at Information. During an outage every uncached token
/// fails; one line per request would bury everything else in the log.
/// </summary>
internal sealed class KeystoneAvailability(TimeProvider time, ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger(Log.Category);
    private readonly Lock gate = new();
    private int failures;
    private DateTimeOffset since;

    public void Failed(string reason, Exception? exception)
    {
        int count;
        lock (gate)
        {
            if (failures++ == 0)
            {
                since = time.GetUtcNow();
            }

            count = failures;
        }

        if (count == 1)
        {
            Log.Unavailable(logger, reason, exception);
        }
        else
        {
            Log.StillUnavailable(logger, count, reason, exception);
        }
    }

    public void Answered()
    {
        int count;
        DateTimeOffset from;
        lock (gate)
        {
            (count, from, failures) = (failures, since, 0);
        }

        if (count > 0)
        {
            Log.Available(logger, count, from);
        }
    }
}
