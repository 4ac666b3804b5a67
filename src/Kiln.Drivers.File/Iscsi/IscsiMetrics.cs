using System.Diagnostics.Metrics;
using System.Globalization;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// The iSCSI instruments, on Kiln's meter (<c>Kiln</c>) so the server's Prometheus exporter serves them:
/// <c>kiln_iscsi_target_restores_total{backend,reason}</c>, <c>kiln_iscsi_exports_restored_total{backend,reason}</c>,
/// <c>kiln_iscsi_tgtd_restarts_total{control_port}</c> and <c>kiln_iscsi_tgtd_state{control_port,state}</c>.
/// </summary>
internal sealed class IscsiMetrics
{
    /// <summary>The server's meter name (Kiln.Server's <c>MetricNames.Meter</c>).</summary>
    public const string MeterName = "Kiln";

    /// <summary>The <c>reason</c> of a restore run by a backend's (re-)initialization.</summary>
    public const string ReasonInit = "init";

    /// <summary>The <c>reason</c> of a restore run because the check found targets missing from tgtd.</summary>
    public const string ReasonTargetsLost = "targets_lost";

    private readonly Counter<long> restores;
    private readonly Counter<long> restored;
    private readonly Counter<long> restarts;

    public IscsiMetrics(IMeterFactory meterFactory, Func<IEnumerable<TgtdSupervisor>> supervisors)
    {
        var meter = meterFactory.Create(MeterName);
        restores = meter.CreateCounter<long>("kiln.iscsi.target.restores", description: "Restores of a backend's recorded iSCSI exports, by reason.");
        restored = meter.CreateCounter<long>("kiln.iscsi.exports.restored", description: "iSCSI exports re-created by restores, by reason.");
        restarts = meter.CreateCounter<long>("kiln.iscsi.tgtd.restarts", description: "Restarts of a tgtd Kiln supervises, after it died.");
        meter.CreateObservableGauge(
            "kiln.iscsi.tgtd.state",
            () => supervisors().SelectMany(s => Enum.GetValues<TgtdState>().Select(state => new Measurement<int>(
                state == s.State ? 1 : 0,
                new KeyValuePair<string, object?>("control_port", Port(s.ControlPort)),
                new KeyValuePair<string, object?>("state", state.ToWireName())))),
            description: "1 for the current state of each tgtd control port Kiln manages, 0 for the others.");
    }

    public void Restored(string backend, string reason, int exports)
    {
        restores.Add(1, new KeyValuePair<string, object?>("backend", backend), new KeyValuePair<string, object?>("reason", reason));
        restored.Add(exports, new KeyValuePair<string, object?>("backend", backend), new KeyValuePair<string, object?>("reason", reason));
    }

    public void Restarted(int controlPort) => restarts.Add(1, new KeyValuePair<string, object?>("control_port", Port(controlPort)));

    private static string Port(int controlPort) => controlPort.ToString(CultureInfo.InvariantCulture);
}
