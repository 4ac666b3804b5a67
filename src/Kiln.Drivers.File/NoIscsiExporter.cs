using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File;

/// <summary>
/// Stands in for the tgt exporter until it is merged: nothing is exported, so nothing needs removing or
/// restoring, and an export request says what is missing. Volumes, snapshots and clones work without it.
/// </summary>
internal sealed class NoIscsiExporter : IIscsiExporter
{
    public Task<ConnectionInfo> ExportAsync(string volumeId, string path, ConnectorInfo connector, CancellationToken cancellationToken) =>
        throw new DriverDependencyException(
            $"iSCSI export needs tgt; this build of Kiln has no iSCSI exporter, so raw volume {volumeId} cannot be attached over iSCSI");

    public Task RemoveExportAsync(string volumeId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RestoreExportsAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
