using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>A host attaching a volume the way its connection info says, through libiscsi (iscsi-* tools and qemu-io).</summary>
internal static class Initiator
{
    public static ConnectorInfo Connector { get; } = new("test-host", "iqn.1993-08.org.debian:01:kiln-test", "127.0.0.1");

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
    public static async Task<long> ReadCapacityAsync(string url)
    {
        var result = await RunAsync("iscsi-readcapacity16", url);
        result.Succeeded.ShouldBeTrue($"iscsi-readcapacity16 failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        var line = result.StandardOutput.Split('\n').Single(l => l.StartsWith("Total size:", StringComparison.Ordinal));
        return long.Parse(line["Total size:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    public static Task<ProcessResult> ReadCapacityRawAsync(string url) => RunAsync("iscsi-readcapacity16", url);

    /// <summary>Runs one qemu-io command (<c>write -P 0xab 1M 64k</c>, <c>read -P …</c>) on the LUN.</summary>
    public static Task<ProcessResult> QemuIoAsync(string url, string command) => RunAsync("qemu-io", "-f", "raw", "-c", command, url);

    /// <summary>iscsi-ls with LUNs: the targets the portal lists for these credentials.</summary>
    public static Task<ProcessResult> ListAsync(string portalUrl) => RunAsync("iscsi-ls", "-s", portalUrl);

    private static Task<ProcessResult> RunAsync(string tool, params string[] arguments) =>
        ProcessRunner.RunAsync(tool, arguments, TestContext.Current.CancellationToken);
}
