using System.Diagnostics.Metrics;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;

namespace Kiln.Server.Telemetry;

/// <summary>
/// The per-backend instruments. Gauges are observable and read each backend's snapshot only when scraped,
/// so they cost nothing between scrapes and need no timer per backend; the attempt counter and the
/// recovery histogram are fed by the lifecycle's events. A hosted service so that it subscribes (and the
/// counters start at 0) before the backend loops start.
/// </summary>
internal sealed class BackendMetrics : IHostedService
{
    // Recovery takes from a probe interval (seconds) to an operator's fix (hours).
    private static readonly double[] RecoveryBuckets = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];
    private static readonly BackendState[] States = Enum.GetValues<BackendState>();
    private static readonly InitOutcome[] Outcomes = Enum.GetValues<InitOutcome>();

    private readonly BackendSeries[] backends;
    private readonly TimeProvider timeProvider;
    private readonly Counter<long> attempts;
    private readonly Histogram<double> recovery;

    public BackendMetrics(BackendCatalog catalog, IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        backends = [.. catalog.Hosts.Select(h => new BackendSeries(h))];
        this.timeProvider = timeProvider;
        var meter = meterFactory.Create(MetricNames.Meter);
        meter.CreateObservableGauge(MetricNames.BackendState, ObserveStates, description:
            "Lifecycle state of each backend: 1 for the current state, 0 for every other state.");
        attempts = meter.CreateCounter<long>(MetricNames.InitAttempts, "{attempt}",
            "Initialization attempts (setup, setup check, cleanup) by outcome: success, recoverable, unrecoverable, timeout.");
        recovery = meter.CreateHistogram(MetricNames.RecoveryDuration, "s",
            "Time from a backend becoming failed to its becoming ready again.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RecoveryBuckets });
        meter.CreateObservableGauge(MetricNames.StatsAge, ObserveStatsAge, "s",
            "Time since the backend last published stats successfully; absent until it first does.");
        meter.CreateObservableGauge(MetricNames.StatsPollingInterval, ObservePollingInterval, "s",
            "backend_stats_polling_interval of the backend: how often it publishes stats while ready or degraded.");
        meter.CreateObservableGauge(MetricNames.ReinitBudgetRemaining, ObserveBudget, description:
            "Automatic re-initializations left in the current cycle; -1 when reinit_driver_count is 0 (unlimited).");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var backend in backends)
        {
            // Counters exist at 0 from the start, so increase() sees the first failure of each outcome.
            foreach (var outcome in Outcomes)
            {
                attempts.Add(0, backend.Outcomes[(int)outcome]);
            }

            backend.Host.AttemptFinished += outcome => attempts.Add(1, backend.Outcomes[(int)outcome]);
            backend.Host.Changed += (previous, next) => backend.OnChanged(previous, next, recovery);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var backend in backends)
        {
            var current = backend.Host.Snapshot.State;
            foreach (var state in States)
            {
                yield return new Measurement<int>(state == current ? 1 : 0, backend.States[(int)state]);
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveStatsAge()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var backend in backends)
        {
            if (backend.Host.Snapshot.StatsUpdatedAt is { } updated)
            {
                yield return new Measurement<double>(Math.Max(0, (now - updated).TotalSeconds), backend.Backend);
            }
        }
    }

    private IEnumerable<Measurement<double>> ObservePollingInterval() =>
        backends.Select(b => new Measurement<double>(b.Host.Options.StatsPollingInterval.TotalSeconds, b.Backend));

    private IEnumerable<Measurement<int>> ObserveBudget()
    {
        foreach (var backend in backends)
        {
            var snapshot = backend.Host.Snapshot;
            var remaining = snapshot.ReinitBudget == 0 ? -1 : Math.Max(0, snapshot.ReinitBudget - snapshot.ReinitAttempts);
            yield return new Measurement<int>(remaining, backend.Backend);
        }
    }
}
