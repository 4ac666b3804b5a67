using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File;

/// <summary>
/// Volumes as sparse files under one directory, created and resized with qemu-img. Raw snapshots and
/// clones are reflink-or-sparse copies; qcow2 volumes made from a snapshot are overlays backed by the
/// snapshot file, flattened before the snapshot is deleted. The files are the only state.
/// </summary>
internal sealed partial class FileDriver : IVolumeDriver, IReadinessProbe, IVolumeInventory
{
    private const long BytesPerGb = 1L << 30;
    private const string WriteTestName = ".kiln-write-test";

    private readonly DriverContext context;
    private readonly FileOptions options;
    private readonly string qemuImgCommand;
    private readonly IIscsiExporter exporter;
    private readonly VolumeFiles files;
    private readonly FileCopier copier = new();
    private readonly ILogger logger;
    private QemuImg? qemuImg;

    public FileDriver(DriverContext context, FileOptions options, string qemuImgCommand, IIscsiExporter exporter)
    {
        this.context = context;
        this.options = options;
        this.qemuImgCommand = qemuImgCommand;
        this.exporter = exporter;
        files = new VolumeFiles(options.Directory);
        logger = context.LoggerFactory.CreateLogger("Kiln.Drivers.File");
    }

    internal FileOptions Options => options;

    private QemuImg Qemu => qemuImg ?? throw new InvalidOperationException("SetupAsync has not run");

    /// <summary>Stops the export watch; the iSCSI targets outlive the instance on purpose.</summary>
    public ValueTask DisposeAsync() => exporter.DisposeAsync();

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        var path = ToolLocator.Find(qemuImgCommand)
            ?? throw new DriverDependencyException($"qemu-img not found ('{qemuImgCommand}' is not an executable on PATH); install qemu-utils (Debian/Ubuntu) or qemu-img (Fedora/RHEL)");
        qemuImg = new QemuImg(path);

        if (options.DirectoryIsDefault && !options.RequireMountpointValue)
        {
            CreateDefaultDirectory();
        }

        ThrowIfUnusable();
        ProveWritable();
        if (options.SecurePermissions)
        {
            Tighten();
        }

        foreach (var part in files.PartFiles())
        {
            // Under the file's lock: a driver replaced by this re-initialization may still be writing it.
            using var held = await KeyedLocks.AcquireAsync([VolumeFiles.KeyOfPart(part)], cancellationToken).ConfigureAwait(false);

            // Its writer held the lock until it finished: renamed into place (or removed) meanwhile, it was
            // this run's complete file, not an earlier run's leftover, and there is nothing to say about it.
            if (!System.IO.File.Exists(part))
            {
                continue;
            }

            Delete(part);
            Log.PartFileRemoved(logger, context.BackendName, part);
        }

        await exporter.RestoreExportsAsync(cancellationToken).ConfigureAwait(false);
        exporter.StartWatching();
        Log.SetUp(logger, context.BackendName, options.Directory, options.Format.Name(), path);
    }

    public async Task CheckForSetupErrorAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        try
        {
            await Qemu.VersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DriverException ex) when (ex is not UnrecoverableDriverException)
        {
            throw new DriverDependencyException($"{Qemu.Executable} does not run: {ex.Message}", ex);
        }
    }

    public Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        return Task.FromResult(FileStats.Build(context.BackendName, options, files));
    }

    public Task<IReadOnlyList<StoredVolume>> ListVolumesAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(options.Directory))
        {
            return Task.FromResult<IReadOnlyList<StoredVolume>>([]);
        }

        IReadOnlyList<StoredVolume> volumes = [.. files.Volumes()
            .Select(file => new StoredVolume(Path.GetFileNameWithoutExtension(file.Path)[VolumeFiles.VolumePrefix.Length..], file.Path))
            .OrderBy(volume => volume.Id, StringComparer.Ordinal)];
        return Task.FromResult(volumes);
    }

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        // The default directory does not exist before the first setup, which creates it.
        if (options.DirectoryIsDefault && !options.RequireMountpointValue && !System.IO.Directory.Exists(options.Directory))
        {
            return Task.FromResult(ProbeResult.Ready);
        }

        return Task.FromResult(StorageCheck.WhyNotUsable(options) is { } reason ? ProbeResult.NotReady(reason) : ProbeResult.Ready);
    }

    private void CreateDefaultDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(options.Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(options.Directory, options.DirectoryMode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FileOptions.VolumesDir} {options.Directory} cannot be created: {ex.Message}", ex);
        }
    }

    // Files written before nas_secure_file_permissions existed are 0644: make them the owner's alone.
    private void Tighten()
    {
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var tightened = 0;
        try
        {
            if ((System.IO.File.GetUnixFileMode(options.Directory) & others) != 0)
            {
                System.IO.File.SetUnixFileMode(options.Directory, options.DirectoryMode);
                tightened++;
            }

            foreach (var file in files.Volumes().Concat(files.Snapshots()))
            {
                if ((System.IO.File.GetUnixFileMode(file.Path) & others) != 0)
                {
                    System.IO.File.SetUnixFileMode(file.Path, options.FileMode);
                    tightened++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not the owner (a directory an operator prepared): the volumes still work, the operator decides.
            Log.PermissionsNotTightened(logger, context.BackendName, options.Directory, ex);
            return;
        }

        if (tightened > 0)
        {
            Log.PermissionsTightened(logger, context.BackendName, tightened, options.Directory);
        }
    }

    private void ThrowIfUnusable()
    {
        if (StorageCheck.WhyNotUsable(options) is { } reason)
        {
            throw new DriverException(reason);
        }
    }

    // access(2) says yes to root on most read-only mounts' siblings; a real write is the proof.
    private void ProveWritable()
    {
        var path = Path.Combine(options.Directory, WriteTestName);
        try
        {
            System.IO.File.WriteAllBytes(path, []);
            System.IO.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FileOptions.VolumesDir} {options.Directory} is not writable: {ex.Message}", ex);
        }
    }
}
