using System.Diagnostics.Metrics;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Telemetry;

/// <summary>
/// One backend's label sets, built once so a scrape of a thousand backends allocates no tag arrays, and
/// the start of its current outage for the recovery histogram. <see cref="OnChanged"/> runs only on the
/// backend's own loop, so the outage start needs no lock.
/// </summary>
internal sealed class BackendSeries
{
    private DateTimeOffset? failedSince;

    public BackendSeries(BackendHost host)
    {
        Host = host;
        Backend = [new(MetricNames.BackendLabel, host.Host)];
        States = [.. Enum.GetValues<BackendState>().Select(s => new KeyValuePair<string, object?>[]
        {
            new(MetricNames.BackendLabel, host.Host), new(MetricNames.StateLabel, s.ToWireName()),
        })];
        Outcomes = [.. Enum.GetValues<InitOutcome>().Select(o => new KeyValuePair<string, object?>[]
        {
            new(MetricNames.BackendLabel, host.Host), new(MetricNames.OutcomeLabel, o.ToWireName()),
        })];
    }

    public BackendHost Host { get; }

    /// <summary><c>{backend}</c>.</summary>
    public KeyValuePair<string, object?>[] Backend { get; }

    /// <summary><c>{backend, state}</c>, indexed by <see cref="BackendState"/>.</summary>
    public KeyValuePair<string, object?>[][] States { get; }

    /// <summary><c>{backend, outcome}</c>, indexed by <see cref="InitOutcome"/>.</summary>
    public KeyValuePair<string, object?>[][] Outcomes { get; }

    /// <summary>
    /// Records a recovery when the backend becomes ready after having been failed. The outage starts at the
    /// first failed since it was last ready and lasts through any re-initializations, gave_up or an
    /// operator's manual re-initialization; a backend that never failed (unrecoverable at start) records none.
    /// </summary>
    public void OnChanged(BackendSnapshot previous, BackendSnapshot next, Histogram<double> recovery)
    {
        if (previous.State == next.State)
        {
            return;
        }

        switch (next.State)
        {
            case BackendState.Failed:
                failedSince ??= next.Since;
                break;
            case BackendState.Ready when failedSince is { } since:
                recovery.Record((next.Since - since).TotalSeconds, Backend);
                failedSince = null;
                break;
            case BackendState.Stopped:
                failedSince = null;
                break;
        }
    }
}
