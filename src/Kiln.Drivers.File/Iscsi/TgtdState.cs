namespace Kiln.Drivers.File.Iscsi;

/// <summary>What Kiln knows of the tgtd on one control port (<c>tgt_manage = auto</c>).</summary>
internal enum TgtdState
{
    /// <summary>No export needed tgtd yet, so Kiln has not looked for one.</summary>
    Starting,

    /// <summary>Kiln's own tgtd runs and answers.</summary>
    Running,

    /// <summary>Another tgtd (the system's) answers on the control port; Kiln uses it and leaves it alone.</summary>
    External,

    /// <summary>Kiln's tgtd died or could not start; the next start is scheduled with backoff.</summary>
    Restarting,

    /// <summary><c>tgtd</c> is not installed: exports fail as they do without tgt.</summary>
    NotInstalled,

    /// <summary>Kiln is shutting down; its tgtd was stopped.</summary>
    Stopped,
}

/// <summary>The names the metrics and logs use.</summary>
internal static class TgtdStateNames
{
    public static string ToWireName(this TgtdState state) => state switch
    {
        TgtdState.Starting => "not_started",
        TgtdState.Running => "running",
        TgtdState.External => "external",
        TgtdState.Restarting => "restarting",
        TgtdState.NotInstalled => "not_installed",
        _ => "stopped",
    };
}
