using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File;

/// <summary>Volume operations: create, from snapshot, clone, delete, extend; every new file is written under a temporary name and renamed.</summary>
internal sealed partial class FileDriver
{
    public async Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        RefuseEncryption(volume);
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
        RefuseEncryption(volume);
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
        RefuseEncryption(volume);
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
        if (size == current)
        {
            return; // A retried extend that already took effect (its answer was lost to a crash).
        }

        if (size < current)
        {
            // Only when the record and the file disagree: the service records the volume smaller than it is.
            throw new DriverException(
                $"cannot extend volume {volume.Id} to {newSizeGb} GB: its file is already {current / (double)BytesPerGb:0.##} GB, larger than requested "
                + $"(the recorded size {volume.SizeGb} GB is out of step with the file; extend to more than {current / (double)BytesPerGb:0.##} GB, files are never shrunk)");
        }

        await Qemu.ResizeAsync(file.Path, file.Format, size, cancellationToken).ConfigureAwait(false);

        // tgt sized the LUN when it was created: an exported (attached) volume's LUN is re-created at the new size.
        if (file.Format == VolumeFormat.Raw)
        {
            await exporter.RefreshSizeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<long?> GetVolumeSizeAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        return files.FindVolume(volume.Id)?.VirtualSize();
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

    private async Task WriteAtomicallyAsync(string target, Func<string, Task> write, CancellationToken cancellationToken)
    {
        var part = VolumeFiles.PartPath(target);
        Delete(part);
        try
        {
            await write(part).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            // qemu-img and cp create files with the umask's mode (0644); the directory (0700) keeps others
            // out while it is written, and the file has its own mode before it gets its final name.
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(part, options.FileMode);
            }
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

    /// <summary>
    /// The file driver writes plain files: it has no key manager to take a key from, so a volume of an
    /// encrypted type is refused rather than created unencrypted (its create ends in error with this reason).
    /// QoS specs need no such check: the driver ignores them and reports <c>QoS_support: False</c>.
    /// </summary>
    private static void RefuseEncryption(VolumeRef volume)
    {
        if (volume.Encryption is { } encryption)
        {
            throw new DriverException(
                $"the file driver cannot create encrypted volumes (volume type encryption provider {encryption.Provider}); use an unencrypted volume type");
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
}
