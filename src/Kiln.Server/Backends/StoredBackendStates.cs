using System.Globalization;
using Kiln.Core.Lifecycle;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Kiln.Server.Services;
using Kiln.Server.Volumes;

namespace Kiln.Server.Backends;

/// <summary>
/// The backend states a process without the volume role (<c>kiln serve --roles api</c>) answers from:
/// the lifecycle snapshots the volume processes write to their service records, read again every
/// second. A backend whose volume service has not reported for <c>service_down_time</c> counts as
/// <c>stopped</c> with a reason naming the node, so its requests get 409 instead of waiting on a queue
/// nobody reads.
/// </summary>
internal sealed partial class StoredBackendStates(
    IServiceRepository repository, DatabaseStartup startup, KilnConfiguration configuration, TimeProvider timeProvider, ILogger<StoredBackendStates> logger)
    : BackgroundService, IBackendStates
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private static readonly BackendState[] States = Enum.GetValues<BackendState>();

    private IReadOnlyDictionary<string, BackendSnapshot> known = new Dictionary<string, BackendSnapshot>(StringComparer.Ordinal);

    public IReadOnlyList<BackendSnapshot> All => [.. Volatile.Read(ref known).Values];

    public BackendSnapshot? Find(string backendHost) => Volatile.Read(ref known).GetValueOrDefault(backendHost);

    /// <summary>The snapshot a service record stands for; null for a record that is not a backend's.</summary>
    internal static BackendSnapshot? ToSnapshot(StoredService record, DateTimeOffset now, TimeSpan serviceDownTime)
    {
        var state = States.Where(s => s.ToWireName() == record.DriverState).Select(s => (BackendState?)s).FirstOrDefault();
        if (record.Binary != StoredService.VolumeBinary || state is null)
        {
            return null;
        }

        var at = record.Host.IndexOf('@', StringComparison.Ordinal);
        var snapshot = new BackendSnapshot
        {
            Host = record.Host,
            BackendName = at < 0 ? record.Host : record.Host[(at + 1)..],
            State = state.Value,
            Since = record.DriverStateSince ?? record.CreatedAt,
            ReinitAttempts = record.ReinitAttempts ?? 0,
            ReinitBudget = record.ReinitBudget ?? 0,
            NextAttemptAt = record.ReinitNextAt,
            StatsUpdatedAt = record.StatsUpdatedAt,

            // The pools the volume process published: a scheduler or API process without that backend
            // places on them and checks an extend's room as the volume process would.
            Stats = BackendStatsJson.Deserialize(record.StatsJson),
        };
        if (record.DriverError is { } error)
        {
            var colon = error.IndexOf(": ", StringComparison.Ordinal);
            snapshot = snapshot with { ErrorClass = colon < 0 ? error : error[..colon], ErrorMessage = colon < 0 ? string.Empty : error[(colon + 2)..] };
        }

        var silent = now - (record.UpdatedAt ?? record.CreatedAt);
        if (silent <= serviceDownTime)
        {
            return snapshot;
        }

        var node = at < 0 ? record.Host : record.Host[..at];
        return snapshot with
        {
            State = BackendState.Stopped,
            ErrorClass = "ServiceDown",
            ErrorMessage = string.Create(CultureInfo.InvariantCulture, $"the volume service on node {node} has not reported for {silent.TotalSeconds:0} s (service_down_time {serviceDownTime.TotalSeconds:0} s)"),
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await startup.WaitUntilReadyAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = timeProvider.GetUtcNow();
                var records = await repository.ListAsync(stoppingToken).ConfigureAwait(false);
                var next = new Dictionary<string, BackendSnapshot>(StringComparer.Ordinal);
                foreach (var snapshot in records.Select(r => ToSnapshot(r, now, configuration.ServiceDownTime)).OfType<BackendSnapshot>())
                {
                    next[snapshot.Host] = snapshot;
                }

                Volatile.Write(ref known, next);
                await Task.Delay(Refresh, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed read (database busy or gone) keeps the last states; the next tick tries again.
                LogRefreshFailed(logger, ex);
                await Task.Delay(Refresh, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(2630, LogLevel.Warning, "Reading the backend states of the volume services failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
