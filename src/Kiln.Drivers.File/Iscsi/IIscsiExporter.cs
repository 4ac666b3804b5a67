using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// Exports raw volume files to hosts over iSCSI. The file driver owns the files; the exporter owns
/// targets, LUNs and CHAP credentials, and records them so they can be restored after a restart of
/// Kiln or of the target daemon (Cinder's <c>ensure_export</c>).
/// </summary>
public interface IIscsiExporter : IAsyncDisposable
{
    /// <summary>
    /// Exports the raw file at <paramref name="path"/> as <paramref name="volumeId"/>'s target and
    /// returns Cinder's <c>iscsi</c> connection info. Idempotent: a repeat returns the same target
    /// and credentials.
    /// </summary>
    Task<ConnectionInfo> ExportAsync(string volumeId, string path, ConnectorInfo connector, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="volumeId"/>'s target; removing one that does not exist succeeds.</summary>
    Task RemoveExportAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>
    /// Ends <paramref name="connector"/>'s access (Cinder's <c>terminate_connection</c>): its initiator is
    /// no longer granted, and the target is removed with the last initiator, or at once when the connector
    /// names none. A connector that was never granted changes nothing.
    /// </summary>
    Task RevokeAsync(string volumeId, ConnectorInfo? connector, CancellationToken cancellationToken);

    /// <summary>
    /// Makes an exported volume's LUN serve its file's current size after the file grew (Cinder's
    /// <c>extend_target</c>, which re-creates the target with <c>tgt-admin --update --force</c>; I/O pauses
    /// while the LUN is replaced). A volume that is not exported changes nothing.
    /// </summary>
    Task RefreshSizeAsync(string volumeId, CancellationToken cancellationToken);

    /// <summary>Starts checking, in the background, that the target daemon still serves every recorded export; the file driver calls it once its setup succeeded.</summary>
    void StartWatching();

    /// <summary>
    /// Re-creates every recorded export; the file driver calls it as the last step of its setup.
    /// Throws <see cref="Core.Errors.DriverDependencyException"/> when exports are recorded and the
    /// target tools are missing.
    /// </summary>
    Task RestoreExportsAsync(CancellationToken cancellationToken);
}
