using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// A host attaching a volume the way its connection info says, through libiscsi (iscsi-* tools and qemu-io),
/// logging in with the initiator name of <see cref="Connector"/> (targets admit only the initiators they were
/// exported to) unless told another.
/// </summary>
internal static class Initiator
{
    public static ConnectorInfo Connector { get; } = new("test-host", "iqn.1993-08.org.debian:01:kiln-test", "127.0.0.1");

    /// <summary>A second compute host.</summary>
    public static ConnectorInfo OtherConnector { get; } = new("other-host", "iqn.1993-08.org.debian:01:kiln-other", "127.0.0.1");

    private static string DefaultName => Connector.Initiator!;

    /// <summary>The <c>iscsi://</c> URL of the connection's LUN, with its CHAP credentials (or <paramref name="password"/> instead).</summary>
    public static string Url(ConnectionInfo info, string? password = null)
    {
        var data = info.Data;
        var credentials = data.TryGetValue("auth_username", out var user) ? $"{user}%{password ?? (string)data["auth_password"]!}@" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"iscsi://{credentials}{data["target_portal"]}/{data["target_iqn"]}/{data["target_lun"]}");
    }

    /// <summary>The portal URL (for discovery) with the connection's credentials.</summary>
    public static string PortalUrl(ConnectionInfo info)
    {
        var data = info.Data;
        var credentials = data.TryGetValue("auth_username", out var user) ? $"{user}%{data["auth_password"]}@" : string.Empty;
        return $"iscsi://{credentials}{data["target_portal"]}";
    }

    /// <summary>The LUN's size in bytes from READ CAPACITY(16); fails the test when the login or command fails.</summary>
    public static async Task<long> ReadCapacityAsync(string url, string? initiator = null)
    {
        var result = await RunAsync("iscsi-readcapacity16", "-i", initiator ?? DefaultName, url);
        result.Succeeded.ShouldBeTrue($"iscsi-readcapacity16 failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        var line = result.StandardOutput.Split('\n').Single(l => l.StartsWith("Total size:", StringComparison.Ordinal));
        return long.Parse(line["Total size:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    public static Task<ProcessResult> ReadCapacityRawAsync(string url, string? initiator = null) =>
        RunAsync("iscsi-readcapacity16", "-i", initiator ?? DefaultName, url);

    /// <summary>
    /// Runs one qemu-io command (<c>write -P 0xab 1M 64k</c>, <c>read -P …</c>) on the LUN of an <c>iscsi://</c>
    /// URL, as <paramref name="initiator"/> (QEMU's iSCSI driver takes the initiator name as an option, not in the URL).
    /// </summary>
    public static Task<ProcessResult> QemuIoAsync(string url, string command, string? initiator = null) =>
        RunAsync("qemu-io", "-c", command, "--image-opts", ImageOptions(url, initiator ?? DefaultName));

    /// <summary>iscsi-ls with LUNs: the targets the portal lists for these credentials.</summary>
    public static Task<ProcessResult> ListAsync(string portalUrl, string? initiator = null) => RunAsync("iscsi-ls", "-i", initiator ?? DefaultName, "-s", portalUrl);

    /// <summary><c>iscsi://[user%password@]portal/iqn/lun</c> as QEMU's <c>--image-opts</c> for its iscsi driver.</summary>
    public static string ImageOptions(string url, string initiator)
    {
        var rest = url["iscsi://".Length..];
        var at = rest.LastIndexOf('@');
        var credentials = at < 0 ? null : rest[..at];
        rest = rest[(at + 1)..];
        var parts = rest.Split('/');
        var options = $"driver=iscsi,transport=tcp,portal={parts[0]},target={parts[1]},lun={parts[2]},initiator-name={initiator}";
        if (credentials is not null)
        {
            var percent = credentials.IndexOf('%', StringComparison.Ordinal);
            options += $",user={credentials[..percent]},password={credentials[(percent + 1)..]}";
        }

        return options;
    }

    private static Task<ProcessResult> RunAsync(string tool, params string[] arguments) =>
        ProcessRunner.RunAsync(tool, arguments, TestContext.Current.CancellationToken);
}
