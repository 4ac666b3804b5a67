using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>A temporary volumes directory with raw files, and exporters for it built through <see cref="TgtExporter.Create(DriverContext, string)"/>.</summary>
internal sealed class IscsiTestBed : IDisposable
{
    public const long VolumeBytes = 64L * 1024 * 1024;

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-iscsi-");

    public string VolumesDirectory => dir.FullName;

    public static DriverContext Context(IReadOnlyDictionary<string, string> options, TimeProvider? time = null, Microsoft.Extensions.Logging.ILoggerFactory? logs = null) =>
        new(new BackendSection("files", options), time ?? TimeProvider.System, logs ?? NullLoggerFactory.Instance);

    /// <summary>The exporter as the factory builds it for <c>kiln serve</c>: with tgtd supervision and metrics from <paramref name="daemons"/>.</summary>
    public TgtExporter SupervisedExporter(
        TgtDaemon daemon, TgtdSupervisors daemons, TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory logs, params (string Option, string Value)[] options)
    {
        var values = new Dictionary<string, string>
        {
            [IscsiOptions.TgtControlPort] = daemon.ControlPort.ToString(CultureInfo.InvariantCulture),
            [IscsiOptions.TargetPort] = daemon.PortalPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (option, value) in options)
        {
            values[option] = value;
        }

        return TgtExporter.Create(Context(values, time, logs), VolumesDirectory, daemons);
    }

    /// <summary>An exporter of the backend <c>files</c> on <paramref name="daemon"/>, plus <paramref name="options"/>.</summary>
    public IIscsiExporter Exporter(TgtDaemon daemon, params (string Option, string Value)[] options)
    {
        var values = new Dictionary<string, string>
        {
            [IscsiOptions.TgtControlPort] = daemon.ControlPort.ToString(CultureInfo.InvariantCulture),
            [IscsiOptions.TargetPort] = daemon.PortalPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (option, value) in options)
        {
            values[option] = value;
        }

        return TgtExporter.Create(Context(values), VolumesDirectory);
    }

    /// <summary>A sparse raw file of <see cref="VolumeBytes"/> named after a new volume id; returns the id and path.</summary>
    public (string VolumeId, string Path) NewVolume()
    {
        var id = Guid.NewGuid().ToString();
        var path = Path.Combine(VolumesDirectory, $"volume-{id}");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(VolumeBytes);
        }

        return (id, path);
    }

    /// <summary>Writes the state file as an earlier run would have left it.</summary>
    public void WriteState(params ExportRecord[] records) =>
        ExportStateFile.In(VolumesDirectory).WriteAsync(records, TestContext.Current.CancellationToken).GetAwaiter().GetResult();

    public void Dispose() => dir.Delete(recursive: true);
}
