using System.Diagnostics.Metrics;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File;

/// <summary>Creates <c>file</c> drivers: volumes as sparse raw or qcow2 files under <c>file_volumes_dir</c>.</summary>
/// <remarks>
/// The factory lives as long as the service: it owns the tgtd Kiln starts (<c>tgt_manage = auto</c>), which
/// outlives every driver instance and is stopped when the factory is disposed with the service.
/// </remarks>
public sealed class FileDriverFactory : IVolumeDriverFactory, IAsyncDisposable
{
    private readonly Func<DriverContext, string, IIscsiExporter> createExporter;
    private readonly string qemuImgCommand;
    private readonly TgtdSupervisors? daemons;

    /// <summary>A factory without metrics (offline checks such as <c>kiln config check</c>).</summary>
    public FileDriverFactory()
        : this(meterFactory: null)
    {
    }

    /// <summary>The factory <c>kiln serve</c> uses: iSCSI metrics on <paramref name="meterFactory"/>'s <c>Kiln</c> meter.</summary>
    public FileDriverFactory(IMeterFactory? meterFactory)
        : this(new TgtdSupervisors(meterFactory))
    {
    }

    private FileDriverFactory(TgtdSupervisors daemons)
        : this((context, directory) => TgtExporter.Create(context, directory, daemons))
    {
        this.daemons = daemons;
    }

    /// <summary>For tests: the exporter for (context, volumes directory), and the qemu-img command or path.</summary>
    internal FileDriverFactory(Func<DriverContext, string, IIscsiExporter> createExporter, string qemuImgCommand = "qemu-img")
    {
        this.createExporter = createExporter;
        this.qemuImgCommand = qemuImgCommand;
    }

    public string Name => "file";

    public IReadOnlyCollection<string> OptionNames { get; } = [.. FileOptions.Names, .. IscsiOptions.Names];

    /// <summary>The tgtd supervisors (one per control port), for the lifecycle view.</summary>
    internal TgtdSupervisors? Daemons => daemons;

    /// <summary>
    /// The tgtd serving <paramref name="section"/>'s exports as Kiln sees it (the lifecycle view); null when its
    /// iSCSI options are invalid (the backend is unrecoverable and says why).
    /// </summary>
    public TargetDaemonStatus? TargetDaemonOf(BackendSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        TgtSettings settings;
        try
        {
            settings = TgtSettings.Parse(section);
        }
        catch (Core.Errors.DriverConfigurationException)
        {
            return null;
        }

        if (settings.Manage == TgtManage.External)
        {
            return new TargetDaemonStatus("external", "external", settings.ControlPort, null, 0, null);
        }

        var supervisor = daemons?.All.FirstOrDefault(s => s.ControlPort == settings.ControlPort);
        return supervisor is null
            ? new TargetDaemonStatus("auto", TgtdState.Starting.ToWireName(), settings.ControlPort, null, 0, null)
            : new TargetDaemonStatus("auto", supervisor.State.ToWireName(), settings.ControlPort, supervisor.ProcessId, supervisor.Restarts, supervisor.Since);
    }

    /// <summary>Stops the tgtd Kiln started; a system tgtd is never stopped.</summary>
    public ValueTask DisposeAsync() => daemons?.DisposeAsync() ?? ValueTask.CompletedTask;

    public IVolumeDriver Create(DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Runs inside the backend's initialization attempt: a bad option makes that backend unrecoverable.
        var options = FileOptions.Parse(context.Options, context.StatePath);
        return new FileDriver(context, options, qemuImgCommand, createExporter(context, options.Directory));
    }
}
