namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// What Kiln knows of the tgtd serving a file backend's exports, for the lifecycle view: who manages it
/// (<c>tgt_manage</c>), its state, control port, the PID of Kiln's own, its restarts and since when.
/// </summary>
public sealed record TargetDaemonStatus(string Manage, string State, int ControlPort, int? ProcessId, int Restarts, DateTimeOffset? Since);
