using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;

namespace Kiln.Drivers.File;

/// <summary>
/// Volumes as sparse files under one directory, created and resized with qemu-img. Raw snapshots and
/// clones are reflink-or-sparse copies; qcow2 volumes made from a snapshot are overlays backed by the
/// snapshot file, flattened before the snapshot is deleted. The files are the only state.
/// </summary>
internal sealed class FileDriver : IVolumeDriver, IReadinessProbe
{
    private const long BytesPerGb = 1L << 30;
    private const string WriteTestName = ".kiln-write-test";

    private readonly DriverContext context;
    private readonly FileOptions options;
    private readonly string qemuImgCommand;
    private readonly IIscsiExporter exporter;
    private readonly VolumeFiles files;
    private readonly FileCopier copier = new();
    private QemuImg? qemuImg;

    public FileDriver(DriverContext context, FileOptions options, string qemuImgCommand, IIscsiExporter exporter)
    {
        this.context = context;
        this.options = options;
        this.qemuImgCommand = qemuImgCommand;
        this.exporter = exporter;
        files = new VolumeFiles(options.Directory);
    }

    internal FileOptions Options => options;

    private QemuImg Qemu => qemuImg ?? throw new InvalidOperationException("SetupAsync has not run");

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
        foreach (var part in files.PartFiles())
        {
            // Under the file's lock: a driver replaced by this re-initialization may still be writing it.
            using var held = await KeyedLocks.AcquireAsync([VolumeFiles.KeyOfPart(part)], cancellationToken).ConfigureAwait(false);
            Delete(part);
        }

        await exporter.RestoreExportsAsync(cancellationToken).ConfigureAwait(false);
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

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        // The default directory does not exist before the first setup, which creates it.
        if (options.DirectoryIsDefault && !options.RequireMountpointValue && !System.IO.Directory.Exists(options.Directory))
        {
            return Task.FromResult(ProbeResult.Ready);
        }

        return Task.FromResult(StorageCheck.WhyNotUsable(options) is { } reason ? ProbeResult.NotReady(reason) : ProbeResult.Ready);
    }

    public async Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var size = SizeBytes(volume.Id, volume.SizeGb);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        if (ExistingVolume(volume.Id, size) is { } existing)
        {
            return Located(existing);
        }

        var target = files.VolumePath(volume.Id, options.Format);
        await WriteAtomicallyAsync(target, part => Qemu.CreateAsync(part, options.Format, size, cancellationToken), cancellationToken).ConfigureAwait(false);
        return Located(target);
    }

    public async Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(snapshot);
        var size = SizeBytes(volume.Id, volume.SizeGb);
        using var held = await KeyedLocks.AcquireAsync([files.SnapshotKey(snapshot.Id), files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        if (ExistingVolume(volume.Id, size) is { } existing)
        {
            return Located(existing);
        }

        var source = files.FindSnapshot(snapshot.Id) ?? throw new DriverException($"snapshot {snapshot.Id} not found in {options.Directory}");

        var sourceSize = source.VirtualSize();
        RequireAtLeast(volume, size, sourceSize, $"snapshot {snapshot.Id}");
        var target = files.VolumePath(volume.Id, source.Format);
        await WriteAtomicallyAsync(
            target,
            async part =>
            {
                if (source.Format == VolumeFormat.Qcow2)
                {
                    await Qemu.CreateOverlayAsync(part, source.FileName, size, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await copier.CopyAsync(source.Path, part, cancellationToken).ConfigureAwait(false);
                await GrowAsync(part, VolumeFormat.Raw, sourceSize, size, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return Located(target);
    }

    public async Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        var size = SizeBytes(volume.Id, volume.SizeGb);

        // A qcow2 source may sit on a snapshot; the copy will too, so that snapshot's lock keeps a
        // concurrent snapshot delete from flattening the source while this copy is not yet visible.
        string[] keys = BackingOf(files.FindVolume(source.Id)) is { } backing
            ? [files.VolumeKey(source.Id), files.VolumeKey(volume.Id), VolumeFiles.KeyOf(Path.Combine(options.Directory, backing))]
            : [files.VolumeKey(source.Id), files.VolumeKey(volume.Id)];
        using var held = await KeyedLocks.AcquireAsync(keys, cancellationToken).ConfigureAwait(false);
        if (ExistingVolume(volume.Id, size) is { } existing)
        {
            return Located(existing);
        }

        var sourceFile = files.FindVolume(source.Id) ?? throw new DriverException($"source volume {source.Id} not found in {options.Directory}");

        var sourceSize = sourceFile.VirtualSize();
        RequireAtLeast(volume, size, sourceSize, $"source volume {source.Id}");
        var target = files.VolumePath(volume.Id, sourceFile.Format);
        await WriteAtomicallyAsync(
            target,
            async part =>
            {
                await copier.CopyAsync(sourceFile.Path, part, cancellationToken).ConfigureAwait(false);
                await GrowAsync(part, sourceFile.Format, sourceSize, size, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return Located(target);
    }

    public async Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);

        // The export goes first: a target must never serve a file that is gone.
        await exporter.RemoveExportAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        foreach (var format in (VolumeFormat[])[VolumeFormat.Raw, VolumeFormat.Qcow2])
        {
            Delete(files.VolumePath(volume.Id, format));
        }
    }

    public async Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var size = SizeBytes(volume.Id, newSizeGb);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        var file = RequireVolume(volume.Id);
        var current = file.VirtualSize();
        if (size <= current)
        {
            throw new DriverException($"cannot extend volume {volume.Id} to {newSizeGb} GB: it already has {current / (double)BytesPerGb:0.##} GB");
        }

        await Qemu.ResizeAsync(file.Path, file.Format, size, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var held = await KeyedLocks.AcquireAsync([files.SnapshotKey(snapshot.Id), files.VolumeKey(snapshot.Volume.Id)], cancellationToken).ConfigureAwait(false);
        if (files.FindSnapshot(snapshot.Id) is not null)
        {
            return; // A retried request for a snapshot already taken.
        }

        var source = RequireVolume(snapshot.Volume.Id);
        var target = files.SnapshotPath(snapshot.Id, source.Format);

        // Snapshots never have backing files: a raw copy is standalone, and a qcow2 volume (perhaps an
        // overlay) is converted into a standalone image. So a chain is at most volume -> snapshot.
        await WriteAtomicallyAsync(
            target,
            part => source.Format == VolumeFormat.Raw
                ? copier.CopyAsync(source.Path, part, cancellationToken)
                : Qemu.ConvertToQcow2Async(source.Path, part, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var held = await KeyedLocks.AcquireAsync([files.SnapshotKey(snapshot.Id)], cancellationToken).ConfigureAwait(false);
        if (files.FindSnapshot(snapshot.Id) is not { } file)
        {
            return;
        }

        if (file.Format == VolumeFormat.Qcow2)
        {
            await FlattenDependentsAsync(file, cancellationToken).ConfigureAwait(false);
        }

        Delete(file.Path);
    }

    public async Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(connector);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        var file = RequireVolume(volume.Id);
        if (file.Format == VolumeFormat.Raw)
        {
            return await exporter.ExportAsync(volume.Id, file.Path, connector, cancellationToken).ConfigureAwait(false);
        }

        // tgt serves a file's bytes as they are; a qcow2 file exported that way would hand the host QEMU's metadata.
        if (!string.IsNullOrWhiteSpace(connector.Initiator))
        {
            throw new NotSupportedException(
                $"volume {volume.Id} on backend {context.BackendName} is qcow2; only raw volumes can be exported over iSCSI "
                + $"({FileOptions.VolumeFormatOption} = raw). Attach it from a host that opens the file directly (QEMU: -drive file={file.Path},format=qcow2)");
        }

        return new ConnectionInfo("file", new Dictionary<string, object?>
        {
            ["device_path"] = file.Path,
            ["format"] = "qcow2",
        });
    }

    public async Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);

        // Only raw volumes are ever exported; removing an export that does not exist succeeds.
        if (files.FindVolume(volume.Id) is not { Format: VolumeFormat.Qcow2 })
        {
            await exporter.RemoveExportAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlattenDependentsAsync(VolumeFile snapshot, CancellationToken cancellationToken)
    {
        var dependents = files.Volumes()
            .Where(v => v.Format == VolumeFormat.Qcow2 && IsBackedBy(v, snapshot))
            .ToList();
        if (dependents.Count == 0)
        {
            return;
        }

        // Snapshot keys sort before volume keys, so taking these after the snapshot's keeps the global order.
        using var held = await KeyedLocks.AcquireAsync(dependents.Select(d => VolumeFiles.KeyOf(d.Path)), cancellationToken).ConfigureAwait(false);
        foreach (var dependent in dependents)
        {
            // A dependent deleted meanwhile needs nothing. Rebase copies the data in place and only then
            // drops the backing reference, so an interrupted flatten leaves a valid (still backed) image.
            if (System.IO.File.Exists(dependent.Path) && IsBackedBy(dependent, snapshot))
            {
                try
                {
                    await Qemu.FlattenAsync(dependent.Path, cancellationToken).ConfigureAwait(false);
                }
                catch (DriverException ex) when (ex is not UnrecoverableDriverException)
                {
                    throw new DriverException($"snapshot {Path.GetFileName(snapshot.Path)} has dependent volume {dependent.FileName}, which could not be flattened; the snapshot was kept: {ex.Message}", ex);
                }
            }
        }
    }

    // Read without the source's lock, only to know which snapshot lock to take too; a file that is
    // gone or unreadable here is reported properly once the locks are held.
    private static string? BackingOf(VolumeFile? file)
    {
        try
        {
            return file?.BackingFile() is { } backing ? Path.GetFileName(backing) : null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return null;
        }
    }

    private static bool IsBackedBy(VolumeFile volume, VolumeFile snapshot)
    {
        try
        {
            return volume.BackingFile() is { } backing && string.Equals(Path.GetFileName(backing), snapshot.FileName, StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static async Task WriteAtomicallyAsync(string target, Func<string, Task> write, CancellationToken cancellationToken)
    {
        var part = VolumeFiles.PartPath(target);
        Delete(part);
        try
        {
            await write(part).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            System.IO.File.Move(part, target, overwrite: false);
        }
        catch
        {
            Delete(part);
            throw;
        }
    }

    private async Task GrowAsync(string path, VolumeFormat format, long currentSize, long size, CancellationToken cancellationToken)
    {
        if (size > currentSize)
        {
            await Qemu.ResizeAsync(path, format, size, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? ExistingVolume(string id, long size)
    {
        if (files.FindVolume(id) is not { } file)
        {
            return null;
        }

        // A retried create (same id, same size) succeeds; anything else is a conflict, never an overwrite.
        var existing = file.VirtualSize();
        return existing == size
            ? file.Path
            : throw new DriverException($"volume {id} already exists in {options.Directory} with {existing} bytes, {size} requested");
    }

    private VolumeFile RequireVolume(string id) =>
        files.FindVolume(id) ?? throw new DriverException($"volume {id} not found in {options.Directory}");

    private static void RequireAtLeast(VolumeRef volume, long size, long sourceSize, string what)
    {
        if (size < sourceSize)
        {
            throw new DriverException($"requested size {volume.SizeGb} GB of volume {volume.Id} is smaller than {what} ({sourceSize / (double)BytesPerGb:0.##} GB)");
        }
    }

    private static long SizeBytes(string id, int sizeGb) =>
        sizeGb >= 1 ? sizeGb * BytesPerGb : throw new DriverException($"volume {id}: size {sizeGb} GB is invalid; it must be at least 1 GB");

    private static VolumeUpdate Located(string path) => new(path);

    private static void Delete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
    }

    private void CreateDefaultDirectory()
    {
        try
        {
            System.IO.Directory.CreateDirectory(options.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FileOptions.VolumesDir} {options.Directory} cannot be created: {ex.Message}", ex);
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
