using Kiln.Core.Drivers;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Drivers.File.Tests;

/// <summary>A temp directory holding the volumes directory, a fake clock, a recording exporter and one factory.</summary>
internal sealed class FileTestBed : IDisposable
{
    public const long Gb = 1L << 30;
    public const long Mb = 1L << 20;

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("kiln-file-tests-");

    public FileTestBed(string qemuImg = "qemu-img")
    {
        VolumesDir = Path.Combine(root.FullName, "volumes");
        Directory.CreateDirectory(VolumesDir);
        Factory = new FileDriverFactory((_, _) => Exporter, qemuImg);
    }

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public string Root => root.FullName;

    public string VolumesDir { get; }

    public FakeTimeProvider Time { get; } = new();

    public RecordingExporter Exporter { get; } = new();

    public RecordingLoggerFactory Logs { get; } = new();

    public FileDriverFactory Factory { get; }

    /// <summary>A backend section; a later option replaces an earlier one of the same name.</summary>
    public static BackendSection Section(string backend, params (string Key, string Value)[] options)
    {
        var values = new Dictionary<string, string>();
        foreach (var (key, value) in options)
        {
            values[key] = value;
        }

        return new BackendSection(backend, values);
    }

    /// <summary>A driver on <see cref="VolumesDir"/> with <paramref name="options"/> added.</summary>
    public FileDriver CreateDriver(params (string Key, string Value)[] options) =>
        CreateDriver(Section("file1", [("file_volumes_dir", VolumesDir), .. options]));

    public FileDriver CreateDriver(BackendSection section, string? statePath = null) =>
        (FileDriver)Factory.Create(new DriverContext(section, Time, Logs) { StatePath = statePath });

    /// <summary>A driver that has been set up and checked, ready for volume operations.</summary>
    public async Task<FileDriver> ReadyDriverAsync(params (string Key, string Value)[] options)
    {
        var driver = CreateDriver(options);
        await driver.SetupAsync(Token);
        await driver.CheckForSetupErrorAsync(Token);
        return driver;
    }

    public string VolumePath(string id, string format) => Path.Combine(VolumesDir, $"volume-{id}.{format}");

    public string SnapshotPath(string id, string format) => Path.Combine(VolumesDir, $"snapshot-{id}.{format}");

    public void Dispose()
    {
        Mounts.UnmountQuietly(VolumesDir);
        root.Delete(recursive: true);
    }
}
