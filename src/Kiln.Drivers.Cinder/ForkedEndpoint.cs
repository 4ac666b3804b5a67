using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// A host the zygote forked: requests and responses on one Unix socket, its log on another, its exit status reported
/// by the zygote (its parent). Kiln kills it by its id as it kills a host it started.
/// </summary>
internal sealed class ForkedEndpoint : IHostEndpoint
{
    private readonly Socket protocol;
    private readonly Socket log;
    private readonly StreamWriter input;
    private readonly Task<int?> exit;

    public ForkedEndpoint(int pid, Socket protocol, StreamReader output, Socket log, Task<int?> exit)
    {
        Pid = pid;
        this.protocol = protocol;
        this.log = log;
        this.exit = exit;
        Output = output;
        input = new StreamWriter(new NetworkStream(protocol, ownsSocket: false), new UTF8Encoding(false)) { AutoFlush = false };
        Errors = new StreamReader(new NetworkStream(log, ownsSocket: false), Encoding.UTF8);
    }

    public int Pid { get; }

    public TextWriter Input => input;

    public TextReader Output { get; }

    public TextReader Errors { get; }

    public Task<int?> WaitForExitAsync() => exit;

    public void CloseInput()
    {
        try
        {
            protocol.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Kill()
    {
        if (exit.IsCompletedSuccessfully && exit.Result is not null)
        {
            // Reaped by the zygote: the id may belong to another process by now. (A null exit means the zygote died and
            // cannot tell; the host, an orphan now, is still Kiln's to kill.)
            return;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public DriverHostUsage? Sample()
    {
        if (exit.IsCompletedSuccessfully && exit.Result is not null)
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            return ProcessUsage.Of(process);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        input.Dispose();
        Output.Dispose();
        Errors.Dispose();
        protocol.Dispose();
        log.Dispose();
    }
}
