using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>Log lines of tgtd supervision and of the export check; EventIds 1350–1399.</summary>
internal static partial class TgtdLog
{
    [LoggerMessage(1350, LogLevel.Information, "tgtd started by Kiln on control port {ControlPort}, portal {Portal} (pid {ProcessId})")]
    public static partial void Started(ILogger logger, int controlPort, string portal, int processId);

    [LoggerMessage(1351, LogLevel.Information, "tgtd on control port {ControlPort} is not Kiln's (tgt_manage = auto found one answering); Kiln uses it and never stops it")]
    public static partial void External(ILogger logger, int controlPort);

    [LoggerMessage(1352, LogLevel.Warning, "Kiln's tgtd on control port {ControlPort} (pid {ProcessId}) exited with code {ExitCode}; restarting in {Delay}: {Output}")]
    public static partial void Died(ILogger logger, int controlPort, int processId, int exitCode, TimeSpan delay, string output);

    [LoggerMessage(1353, LogLevel.Warning, "tgtd could not be started on control port {ControlPort}, portal {Portal}; next attempt in {Delay}: {Reason}")]
    public static partial void StartFailed(ILogger logger, int controlPort, string portal, TimeSpan delay, string reason);

    [LoggerMessage(1354, LogLevel.Information, "tgtd is not installed and none answers on control port {ControlPort}: volumes work, iSCSI exports fail until tgt is installed (apt-get install tgt)")]
    public static partial void NotInstalled(ILogger logger, int controlPort);

    [LoggerMessage(1355, LogLevel.Information, "Kiln's tgtd on control port {ControlPort} (pid {ProcessId}) stopped")]
    public static partial void Stopped(ILogger logger, int controlPort, int processId);

    [LoggerMessage(1356, LogLevel.Error, "tgtd supervision on control port {ControlPort} failed; retrying")]
    public static partial void SuperviseFailed(ILogger logger, int controlPort, Exception exception);

    [LoggerMessage(1357, LogLevel.Warning, "A tgtd start subscriber failed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(1360, LogLevel.Warning, "Backend {Backend}: tgtd lost {Missing} of {Recorded} iSCSI targets (tgtd restarted, or targets removed outside Kiln); restoring them")]
    public static partial void TargetsLost(ILogger logger, string backend, int missing, int recorded);

    [LoggerMessage(1361, LogLevel.Information, "Backend {Backend}: restored {Restored} of {Missing} lost iSCSI targets")]
    public static partial void TargetsRestored(ILogger logger, string backend, int restored, int missing);

    [LoggerMessage(1362, LogLevel.Warning, "Backend {Backend}: no tgtd answers on control port {ControlPort}; {Recorded} iSCSI exports are not served until one does")]
    public static partial void Unreachable(ILogger logger, string backend, int controlPort, int recorded);

    [LoggerMessage(1363, LogLevel.Information, "Backend {Backend}: tgtd answers again on control port {ControlPort}")]
    public static partial void Reachable(ILogger logger, string backend, int controlPort);

    [LoggerMessage(1364, LogLevel.Error, "Backend {Backend}: the iSCSI export check failed")]
    public static partial void CheckFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(1365, LogLevel.Information, "Volume {VolumeId}: initiator {Initiator} no longer granted on {TargetIqn}; the target stays for {Remaining} other initiators")]
    public static partial void Revoked(ILogger logger, string volumeId, string initiator, string targetIqn, int remaining);

    [LoggerMessage(1366, LogLevel.Information, "Volume {VolumeId}: terminate for initiator {Initiator}, which {TargetIqn} does not grant; the target is kept for its initiators")]
    public static partial void RevokeNotGranted(ILogger logger, string volumeId, string initiator, string targetIqn);
}
