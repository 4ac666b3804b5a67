using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>The iSCSI options of one backend, parsed and checked.</summary>
internal sealed record TgtSettings(IPAddress PortalAddress, int PortalPort, string TargetPrefix, bool UseChapAuth, int ControlPort)
{
    /// <summary>The default <c>tgt_check_interval</c>: a lost target is noticed within seconds, at one tgtadm run per interval.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Whether Kiln may start and supervise a tgtd of its own (<c>tgt_manage</c>).</summary>
    public TgtManage Manage { get; init; } = TgtManage.Auto;

    /// <summary>How often the exports are checked against tgtd (<c>tgt_check_interval</c>); zero: never.</summary>
    public TimeSpan CheckInterval { get; init; } = DefaultCheckInterval;

    /// <summary>Kiln's default portal: its API listens on loopback by default, so its exports do too.</summary>
    public const string DefaultIpAddress = "127.0.0.1";

    public const int DefaultPort = 3260;

    /// <summary>Cinder's default <c>target_prefix</c>.</summary>
    public const string DefaultPrefix = "iqn.2010-10.org.openstack:";

    /// <summary>Cinder's <c>volume_name_template</c> applied to the volume id.</summary>
    public string TargetIqn(string volumeId) => $"{TargetPrefix}volume-{volumeId}";

    /// <summary>Cinder's <c>target_portal</c>: <c>ip:port</c>, an IPv6 address in brackets.</summary>
    public string TargetPortal => PortalAddress.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{PortalAddress}]:{PortalPort}")
        : string.Create(CultureInfo.InvariantCulture, $"{PortalAddress}:{PortalPort}");

    /// <summary>Reads the options of <paramref name="section"/>; a bad value is a configuration error naming the option.</summary>
    public static TgtSettings Parse(BackendSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var rawAddress = section.GetString(IscsiOptions.TargetIpAddress, DefaultIpAddress).Trim();
        if (!IPAddress.TryParse(rawAddress, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw DriverConfigurationException.InvalidOption(section.Name, IscsiOptions.TargetIpAddress, rawAddress, "expected the IP address hosts reach the iSCSI portal at");
        }

        var port = section.GetInt32(IscsiOptions.TargetPort, DefaultPort, 1, 65535);
        var prefix = section.GetString(IscsiOptions.TargetPrefix, DefaultPrefix).Trim();
        if (!IsValidPrefix(prefix))
        {
            throw DriverConfigurationException.InvalidOption(
                section.Name, IscsiOptions.TargetPrefix, prefix, "expected an iSCSI name prefix such as iqn.2010-10.org.openstack: (lower-case letters, digits and . - :)");
        }

        var chap = section.GetBoolean(IscsiOptions.UseChapAuth, defaultValue: true);
        // tgtd accepts control ports 0 to 32767.
        var controlPort = section.GetInt32(IscsiOptions.TgtControlPort, 0, 0, 32767);
        var manage = section.GetString(IscsiOptions.TgtManage, "auto").Trim().ToLowerInvariant() switch
        {
            "auto" => TgtManage.Auto,
            "external" => TgtManage.External,
            var other => throw DriverConfigurationException.InvalidOption(section.Name, IscsiOptions.TgtManage, other, "expected auto or external"),
        };
        var check = section.GetSeconds(IscsiOptions.TgtCheckInterval, DefaultCheckInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
        return new TgtSettings(address, port, prefix, chap, controlPort) { Manage = manage, CheckInterval = check };
    }

    // RFC 3720 iqn names: "iqn." then lower-case letters, digits, '.', '-' and ':'; the volume part follows.
    private static bool IsValidPrefix(string prefix) =>
        prefix.StartsWith("iqn.", StringComparison.Ordinal)
        && prefix.Length <= 200
        && prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or ':');
}
