using Kiln.Core.Drivers;

namespace Kiln.Drivers.File;

/// <summary>Connections: raw volumes through the iSCSI exporter, qcow2 volumes only as files.</summary>
internal sealed partial class FileDriver
{
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
            await exporter.RevokeAsync(volume.Id, connector, cancellationToken).ConfigureAwait(false);
        }
    }
}
