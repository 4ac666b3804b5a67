using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kiln.Drivers.File.Iscsi;
using Kiln.Drivers.File.Tools;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// A tgtd of the test's own, in the foreground as a child process, with its own control port and a
/// loopback portal on a free port. Stopped by the PID started here (tgtd ignores SIGTERM, so SIGKILL).
/// </summary>
internal sealed class TgtDaemon : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(15);

    private readonly StringBuilder output = new();
    private Process? process;

    private TgtDaemon(int controlPort, int portalPort)
    {
        ControlPort = controlPort;
        PortalPort = portalPort;
    }

    public int ControlPort { get; }

    public int PortalPort { get; }

    public string Portal => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{PortalPort}");

    public int ProcessId => process?.Id ?? 0;

    /// <summary>Starts a tgtd on a fresh control port and a free portal port; waits until tgtadm reaches it.</summary>
    public static async Task<TgtDaemon> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            // Control ports are unix sockets /var/run/tgtd/socket.N: a random N keeps parallel test classes apart.
            var daemon = new TgtDaemon(Random.Shared.Next(10_000, 32_000), FreeTcpPort());
            if (await daemon.TryStartAsync())
            {
                return daemon;
            }

            if (attempt == 4)
            {
                throw new InvalidOperationException($"tgtd did not start: {daemon.output}");
            }
        }
    }

    /// <summary>Kills tgtd (losing every target, as a crash would) and starts it again on the same ports.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        (await TryStartAsync()).ShouldBeTrue($"tgtd did not restart: {output}");
    }

    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.Dispose();
        process = null;
    }

    /// <summary>Runs tgtadm against this daemon.</summary>
    public Task<ProcessResult> AdminAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("tgtadm", ["-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--lld", "iscsi", .. arguments], TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();

        // A killed tgtd cannot remove its control socket and lock file; these are this daemon's own.
        foreach (var suffix in new[] { string.Empty, ".lock" })
        {
            System.IO.File.Delete(string.Create(CultureInfo.InvariantCulture, $"/var/run/tgtd/socket.{ControlPort}{suffix}"));
        }
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> TryStartAsync()
    {
        var start = new ProcessStartInfo("tgtd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", "-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--iscsi", $"portal={Portal}" })
        {
            start.ArgumentList.Add(argument);
        }

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < ReadyDeadline)
        {
            if (process.HasExited)
            {
                return false;
            }

            if ((await AdminAsync("--op", "show", "--mode", "target")).Succeeded && await PortalListensAsync())
            {
                return true;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await KillAsync();
        return false;
    }

    private async Task<bool> PortalListensAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, PortalPort, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
