using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File;

/// <summary>Snapshots: standalone copies; deleting one that qcow2 overlays depend on flattens them first.</summary>
internal sealed partial class FileDriver
{
    public async Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var held = await KeyedLocks.AcquireAsync([files.SnapshotKey(snapshot.Id), files.VolumeKey(snapshot.Volume.Id)], cancellationToken).ConfigureAwait(false);
        await TakeSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the volume into the snapshot's file, the caller holding both keys; the file written, or null when it existed already.</summary>
    private async Task<string?> TakeSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        if (files.FindSnapshot(snapshot.Id) is not null)
        {
            return null; // A retried request for a snapshot already taken.
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
        return target;
    }

    /// <summary>
    /// Replaces the volume's file with a standalone copy of the snapshot (written aside, then renamed over
    /// the volume, so a crash leaves the old data or the new, never a mix), grown back to the volume's
    /// size. Repeating it gives the same result.
    /// </summary>
    public async Task RevertToSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(snapshot);
        using var held = await KeyedLocks.AcquireAsync([files.SnapshotKey(snapshot.Id), files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        var target = RequireVolume(volume.Id);
        var source = files.FindSnapshot(snapshot.Id) ?? throw new DriverException($"snapshot {snapshot.Id} not found in {options.Directory}");
        if (source.Format != target.Format)
        {
            throw new DriverException($"snapshot {snapshot.Id} is {source.Format.Name()} and volume {volume.Id} is {target.Format.Name()}; a revert keeps the format");
        }

        var size = SizeBytes(volume.Id, volume.SizeGb);
        var part = VolumeFiles.PartPath(target.Path);
        Delete(part);
        try
        {
            await (source.Format == VolumeFormat.Raw
                ? copier.CopyAsync(source.Path, part, cancellationToken)
                : Qemu.ConvertToQcow2Async(source.Path, part, cancellationToken)).ConfigureAwait(false);
            await GrowAsync(part, source.Format, source.VirtualSize(), size, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(part, options.FileMode);
            }

            System.IO.File.Move(part, target.Path, overwrite: true);
        }
        catch
        {
            Delete(part);
            throw;
        }
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
                    Log.DependentFlattened(logger, context.BackendName, dependent.FileName, snapshot.FileName);
                }
                catch (DriverException ex) when (ex is not UnrecoverableDriverException)
                {
                    throw new DriverException($"snapshot {Path.GetFileName(snapshot.Path)} has dependent volume {dependent.FileName}, which could not be flattened; the snapshot was kept: {ex.Message}", ex);
                }
            }
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
}
