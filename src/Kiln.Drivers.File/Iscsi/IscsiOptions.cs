namespace Kiln.Drivers.File.Iscsi;

/// <summary>The iSCSI export options of a file backend, with Cinder's names where Cinder has them.</summary>
public static class IscsiOptions
{
    /// <summary>Portal address hosts connect to (Cinder's <c>target_ip_address</c>).</summary>
    public const string TargetIpAddress = "target_ip_address";

    /// <summary>Portal port (Cinder's <c>target_port</c>, default 3260).</summary>
    public const string TargetPort = "target_port";

    /// <summary>IQN prefix of every target (Cinder's <c>target_prefix</c>).</summary>
    public const string TargetPrefix = "target_prefix";

    /// <summary>Whether targets require CHAP (Cinder's <c>use_chap_auth</c>; on by default in Kiln).</summary>
    public const string UseChapAuth = "use_chap_auth";

    /// <summary>Kiln's own: the tgtd management port (<c>tgtadm -C</c>, default 0), for hosts that run several tgtd.</summary>
    public const string TgtControlPort = "tgt_control_port";

    /// <summary>
    /// Kiln's own: <c>auto</c> (default) starts and supervises a tgtd of Kiln's when none answers on the
    /// control port; <c>external</c> only uses a tgtd run by the system, never starting or stopping one.
    /// </summary>
    public const string TgtManage = "tgt_manage";

    /// <summary>Kiln's own: seconds between checks that tgtd still serves every recorded export (default 5; 0 turns the check off).</summary>
    public const string TgtCheckInterval = "tgt_check_interval";

    /// <summary>Every option name above, for the factory's list of known options.</summary>
    public static IReadOnlyCollection<string> Names { get; } = [TargetIpAddress, TargetPort, TargetPrefix, UseChapAuth, TgtControlPort, TgtManage, TgtCheckInterval];
}
