using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// The tgtd supervisors of one Kiln (one per control port, shared by the backends that use it), owned
/// by the driver factory so they outlive driver re-initializations and stop when Kiln stops.
/// </summary>
internal sealed class TgtdSupervisors : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, TgtdSupervisor> supervisors = new();
    private readonly string tgtdCommand;

    public TgtdSupervisors(IMeterFactory? meterFactory, string tgtdCommand = "tgtd")
    {
        this.tgtdCommand = tgtdCommand;
        Metrics = meterFactory is null ? null : new IscsiMetrics(meterFactory, () => supervisors.Values);
    }

    public IscsiMetrics? Metrics { get; }

    public IEnumerable<TgtdSupervisor> All => supervisors.Values;

    /// <summary>The supervisor of the settings' control port; null with <c>tgt_manage = external</c>.</summary>
    public TgtdSupervisor? For(TgtSettings settings, DriverContext context) =>
        settings.Manage == TgtManage.External
            ? null
            : supervisors.GetOrAdd(settings.ControlPort, port => new TgtdSupervisor(
                port,
                settings.TargetPortal,
                settings.CheckInterval,
                context.TimeProvider,
                context.LoggerFactory.CreateLogger("Kiln.Drivers.File.Iscsi"),
                Metrics is { } metrics ? metrics.Restarted : null,
                tgtdCommand));

    public async ValueTask DisposeAsync()
    {
        foreach (var supervisor in supervisors.Values)
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
        }

        supervisors.Clear();
    }
}
