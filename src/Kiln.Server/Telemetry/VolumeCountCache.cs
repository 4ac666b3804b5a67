using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Persistence;

namespace Kiln.Server.Telemetry;

/// <summary>
/// Volume counts of this node's pools (and of volumes not placed anywhere), refreshed from the database at
/// most once per <see cref="RefreshInterval"/> and never on the scrape's thread: a scrape reads the last
/// counts and, when they are due, starts one refresh in the background. A burst of scrapes therefore
/// makes at most one query, and a slow database never slows a scrape by more than <see cref="ScrapeWait"/>.
/// Counts older than <see cref="StaleAfter"/> (nothing scraped for a while) are not served: the scrape waits
/// for the refresh it starts. Served as they were, the first scrape after a long idle reported the counts
/// of the last scrape (at start-up: 0 for every pool).
/// </summary>
internal sealed partial class VolumeCountCache(IVolumeCounts source, BackendCatalog backends, TimeProvider timeProvider, ILogger<VolumeCountCache> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>Age past which a scrape waits for fresh counts instead of reporting these.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>Longest a scrape waits for fresh counts; after it, the last ones are reported.</summary>
    public static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(2);

    // A hung database must not hold the single refresh slot forever.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private IReadOnlyDictionary<VolumeCountKey, long> counts = new Dictionary<VolumeCountKey, long>();
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;
    private Task? refreshing;

    /// <summary>The latest counts; starts a refresh when they are older than <see cref="RefreshInterval"/>.</summary>
    public IReadOnlyDictionary<VolumeCountKey, long> Read()
    {
        Task? fresh;
        lock (gate)
        {
            var age = timeProvider.GetUtcNow() - refreshedAt;
            if (refreshing is null && age >= RefreshInterval)
            {
                refreshing = Task.Run(RefreshAsync);
            }

            if (age < StaleAfter || refreshedAt == DateTimeOffset.MinValue)
            {
                return counts;
            }

            fresh = refreshing;
        }

        // Observable instruments are read synchronously: a bounded wait is the only way to report fresh counts.
        // RefreshAsync never throws.
        fresh?.Wait(ScrapeWait);
        lock (gate)
        {
            return counts;
        }
    }

    /// <summary>Waits for a refresh in progress, if any (start-up warm-up and tests).</summary>
    public Task WhenRefreshedAsync()
    {
        lock (gate)
        {
            return refreshing ?? Task.CompletedTask;
        }
    }

    private async Task RefreshAsync()
    {
        IReadOnlyDictionary<VolumeCountKey, long>? fresh = null;
        try
        {
            using var timeout = new CancellationTokenSource(QueryTimeout, timeProvider);
            var rows = await source.CountByHostAndStatusAsync(timeout.Token).ConfigureAwait(false);
            fresh = Aggregate(rows);
        }
        catch (Exception ex)
        {
            // Keep the last counts; the next scrape after the interval tries again.
            LogRefreshFailed(logger, ex);
        }

        lock (gate)
        {
            counts = fresh ?? counts;
            refreshedAt = timeProvider.GetUtcNow();
            refreshing = null;
        }
    }

    private Dictionary<VolumeCountKey, long> Aggregate(IReadOnlyList<VolumeCount> rows)
    {
        var result = new Dictionary<VolumeCountKey, long>();
        foreach (var row in rows)
        {
            // Other nodes' pools are theirs to report; unplaced volumes are everyone's concern.
            var backend = row.Host is null ? null : HostNames.Backend(row.Host);
            if (backend is not null && backends.Find(backend) is null)
            {
                continue;
            }

            var key = new VolumeCountKey(backend, row.Host, row.Status);
            result[key] = result.GetValueOrDefault(key) + row.Count;
        }

        return result;
    }

    [LoggerMessage(900, LogLevel.Warning, "Counting volumes for the metrics failed; the last counts stay in use")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

/// <summary>Volumes of one pool (<c>host@backend#pool</c>; both null when not placed) in one status.</summary>
internal readonly record struct VolumeCountKey(string? Backend, string? Pool, string Status);
