using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>Log lines of the iSCSI exporter; EventIds 1300–1319 and 2320 (the file driver itself has 1200–1219).</summary>
internal static partial class IscsiLog
{
    [LoggerMessage(1300, LogLevel.Information, "Volume {VolumeId} exported as {TargetIqn} (tid {Tid}) for {Connector}")]
    public static partial void Exported(ILogger logger, string volumeId, string targetIqn, int tid, string connector);

    [LoggerMessage(1301, LogLevel.Information, "Volume {VolumeId}: iSCSI target {TargetIqn} removed")]
    public static partial void Removed(ILogger logger, string volumeId, string targetIqn);

    [LoggerMessage(1302, LogLevel.Information, "Restored {Restored} of {Recorded} iSCSI exports recorded in {StateFile}")]
    public static partial void Restored(ILogger logger, int restored, int recorded, string stateFile);

    [LoggerMessage(2320, LogLevel.Information, "Volume {VolumeId}: LUN of iSCSI target {TargetIqn} (tid {Tid}) re-created at the file's new size")]
    public static partial void Resized(ILogger logger, string volumeId, string targetIqn, int tid);

    [LoggerMessage(1303, LogLevel.Warning, "Volume {VolumeId}: iSCSI export not restored: its file {Path} does not exist")]
    public static partial void RestoreSkipped(ILogger logger, string volumeId, string path);

    [LoggerMessage(1305, LogLevel.Warning, "Volume {VolumeId}: iSCSI target {TargetIqn} not restored: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string volumeId, string targetIqn, string reason);

    [LoggerMessage(1304, LogLevel.Warning, "Volume {VolumeId}: iSCSI target {TargetIqn} (tid {Tid}) differs from its record; re-creating it")]
    public static partial void Replacing(ILogger logger, string volumeId, string targetIqn, int tid);
}
