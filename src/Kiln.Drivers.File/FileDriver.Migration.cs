using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File;

/// <summary>
/// Migration between backends: the source hands out its file, the destination converts it into a new
/// standalone file with qemu-img (a qcow2 chain is flattened, the destination's format is used).
/// </summary>
internal sealed partial class FileDriver
{
    public async ValueTask<VolumeImage?> GetVolumeImageAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        using var held = await KeyedLocks.AcquireAsync([files.VolumeKey(volume.Id)], cancellationToken).ConfigureAwait(false);
        var file = RequireVolume(volume.Id);
        return new VolumeImage(file.Path, file.Format.Name(), file.VirtualSize());
    }

    public async Task<VolumeUpdate> CreateVolumeFromImageAsync(VolumeRef volume, VolumeImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(image);
        RefuseEncryption(volume);
        var size = SizeBytes(volume.Id, volume.SizeGb);
        if (image.Format is not ("raw" or "qcow2") || !Path.IsPathFullyQualified(image.Location))
        {
            throw new DriverException($"cannot migrate volume {volume.Id} here: the file driver reads raw and qcow2 files, not a {image.Format} image at {image.Location}");
        }

        var sourceFormat = image.Format == "raw" ? VolumeFormat.Raw : VolumeFormat.Qcow2;
        var source = new VolumeFile(Path.GetFullPath(image.Location), sourceFormat);

        // The source file's lock (KeyedLocks are process-wide, keyed by path) and, for a qcow2 on a snapshot,
        // that snapshot's: a snapshot delete must not flatten the source while it is read.
        string[] keys = BackingOf(source) is { } backing
            ? [VolumeFiles.KeyOf(source.Path), files.VolumeKey(volume.Id), VolumeFiles.KeyOf(Path.Combine(Path.GetDirectoryName(source.Path)!, backing))]
            : [VolumeFiles.KeyOf(source.Path), files.VolumeKey(volume.Id)];
        using var held = await KeyedLocks.AcquireAsync(keys.Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
        if (files.FindVolume(volume.Id) is { } existing)
        {
            if (string.Equals(Path.GetFullPath(existing.Path), source.Path, StringComparison.Ordinal))
            {
                // The source's directory is this backend's too: the volume is already here.
                return Located(existing.Path);
            }

            // Left by a migration of this volume that was cut short: nothing refers to it.
            Delete(existing.Path);
        }

        if (!System.IO.File.Exists(source.Path))
        {
            throw new DriverException($"cannot migrate volume {volume.Id}: its source file {source.Path} is gone");
        }

        var sourceSize = source.VirtualSize();
        RequireAtLeast(volume, size, sourceSize, "the migrated volume's data");
        var target = files.VolumePath(volume.Id, options.Format);
        await WriteAtomicallyAsync(
            target,
            async part =>
            {
                await Qemu.ConvertAsync(source.Path, sourceFormat, part, options.Format, cancellationToken).ConfigureAwait(false);
                await GrowAsync(part, options.Format, sourceSize, size, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return Located(target);
    }
}
