using System.Diagnostics;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests.Iscsi;

/// <summary>
/// A compute host as Nova is one: a connector (initiator IQN, host name, ip) and a libiscsi initiator that
/// logs in with that IQN and the CHAP credentials of <c>connection_info</c> (qemu-io on QEMU's iscsi driver).
/// </summary>
internal sealed record ComputeHost(string Name, string Initiator)
{
    public static ComputeHost A { get; } = new("compute-a", "iqn.1994-05.com.redhat:kiln-e2e-compute-a");

    public static ComputeHost B { get; } = new("compute-b", "iqn.1994-05.com.redhat:kiln-e2e-compute-b");

    /// <summary>The connector Nova sends (os-brick's fields that Kiln reads).</summary>
    public object Connector => new { initiator = Initiator, host = Name, ip = "127.0.0.1", platform = "x86_64", os_type = "linux", multipath = false };

    /// <summary>Runs one qemu-io command on the LUN that <paramref name="connectionInfo"/> names; the tool's result.</summary>
    public async Task<(bool Succeeded, string Output)> QemuIoAsync(JsonElement connectionInfo, string command)
    {
        connectionInfo.GetProperty("driver_volume_type").GetString().ShouldBe("iscsi");
        var data = connectionInfo.GetProperty("data");
        var options = $"driver=iscsi,transport=tcp,portal={data.GetProperty("target_portal").GetString()},target={data.GetProperty("target_iqn").GetString()}"
            + $",lun={data.GetProperty("target_lun").GetInt32()},initiator-name={Initiator}";
        if (data.TryGetProperty("auth_method", out var method) && method.GetString() == "CHAP")
        {
            options += $",user={data.GetProperty("auth_username").GetString()},password={data.GetProperty("auth_password").GetString()}";
        }

        using var process = Process.Start(new ProcessStartInfo("qemu-io", ["-c", command, "--image-opts", options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await output + await error;
        return (process.ExitCode == 0 && !text.Contains("verification failed", StringComparison.Ordinal), text);
    }

    /// <summary>Writes <paramref name="pattern"/> over the first MiB; fails the test when it cannot.</summary>
    public async Task WriteAsync(JsonElement connectionInfo, byte pattern)
    {
        var (ok, output) = await QemuIoAsync(connectionInfo, $"write -P 0x{pattern:x2} 0 1M");
        ok.ShouldBeTrue($"{Name} could not write: {output}");
    }

    /// <summary>Whether the first MiB reads back as <paramref name="pattern"/> (false also when the login fails).</summary>
    public async Task<bool> ReadsAsync(JsonElement connectionInfo, byte pattern) =>
        (await QemuIoAsync(connectionInfo, $"read -P 0x{pattern:x2} 0 1M")).Succeeded;
}
