using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File;

/// <summary>Creates <c>file</c> drivers: volumes as sparse raw or qcow2 files under <c>file_volumes_dir</c>.</summary>
public sealed class FileDriverFactory : IVolumeDriverFactory
{
    private readonly Func<DriverContext, string, IIscsiExporter> createExporter;
    private readonly string qemuImgCommand;

    /// <summary>The factory <c>kiln serve</c> uses.</summary>
    public FileDriverFactory()
        : this(TgtExporter.Create)
    {
    }

    /// <summary>For tests: the exporter for (context, volumes directory), and the qemu-img command or path.</summary>
    internal FileDriverFactory(Func<DriverContext, string, IIscsiExporter> createExporter, string qemuImgCommand = "qemu-img")
    {
        this.createExporter = createExporter;
        this.qemuImgCommand = qemuImgCommand;
    }

    public string Name => "file";

    public IReadOnlyCollection<string> OptionNames { get; } = [.. FileOptions.Names, .. IscsiOptions.Names];

    public IVolumeDriver Create(DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Runs inside the backend's initialization attempt: a bad option makes that backend unrecoverable.
        var options = FileOptions.Parse(context.Options, context.StatePath);
        return new FileDriver(context, options, qemuImgCommand, createExporter(context, options.Directory));
    }
}
