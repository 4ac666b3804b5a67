using System.Diagnostics.Metrics;
using Kiln.Core.Drivers;
using Kiln.Drivers.Cinder;

namespace Kiln.Server.Telemetry;

/// <summary>
/// Memory and CPU of each upstream Cinder driver's host process, read from the process when scraped. A driver
/// that leaks shows here before it takes the host down; the process is Kiln's to kill, not the service's.
/// A hosted service only so that the instruments exist from the start.
/// </summary>
internal sealed class DriverHostMetrics : IHostedService
{
    private readonly DriverHostRegistry? hosts;

    public DriverHostMetrics(IEnumerable<IVolumeDriverFactory> factories, IMeterFactory meterFactory)
    {
        hosts = factories.OfType<CinderDriverFactory>().FirstOrDefault()?.Hosts;
        var meter = meterFactory.Create(MetricNames.Meter);
        meter.CreateObservableGauge(MetricNames.DriverHostMemory, ObserveMemory, "By",
            "Resident memory of each live upstream Cinder driver host process (one per backend).");
        meter.CreateObservableCounter(MetricNames.DriverHostCpu, ObserveCpu, "s",
            "CPU time (user and system) used by each live upstream Cinder driver host process since it started.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> ObserveMemory() =>
        Usage().Select(u => new Measurement<long>(u.ResidentBytes, Labels(u)));

    private IEnumerable<Measurement<double>> ObserveCpu() =>
        Usage().Select(u => new Measurement<double>(u.CpuTime.TotalSeconds, Labels(u)));

    private IReadOnlyList<DriverHostUsage> Usage() => hosts?.Usage() ?? [];

    // The pid label tells processes of one backend apart: each (re-)initialization starts a fresh one.
    private static KeyValuePair<string, object?>[] Labels(DriverHostUsage usage) =>
    [
        new(MetricNames.BackendLabel, usage.Backend),
        new(MetricNames.PidLabel, usage.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
