using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// The pre-imported parent of the driver hosts (<c>cinder-driver-host.py --zygote</c>): it imports Cinder once, then
/// forks a host per initialization attempt, so an attempt no longer pays the seconds of CPU of that import
/// (docs/benchmarks.md). It never runs driver code itself; each host is still its own process, killed by its id.
/// Its events arrive on its stdout (ready, failed, exit of a host); forks are asked for on a Unix socket in a
/// directory only Kiln's user can enter.
/// </summary>
internal sealed class DriverHostZygote : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    private readonly Process process;
    private readonly string directory;
    private readonly string socketPath;
    private readonly ILogger logger;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int?>> exits = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private long nextToken;

    private DriverHostZygote(Process process, string directory, string socketPath, ILogger logger)
    {
        this.process = process;
        this.directory = directory;
        this.socketPath = socketPath;
        this.logger = logger;
        Pid = process.Id;
        stdoutPump = Task.Run(PumpStdoutAsync);
        stderrPump = Task.Run(PumpStderrAsync);
    }

    public int Pid { get; }

    /// <summary>Whether the zygote process has ended (its exit may not have been read yet); a new one is started then.</summary>
    public bool HasEnded => ended.Task.IsCompleted || process.HasExited;

    /// <summary>Starts the zygote; a missing interpreter or program is a dependency error, as for a host of its own.</summary>
    public static DriverHostZygote Start(string python, string program, ILogger logger)
    {
        if (!File.Exists(program))
        {
            throw new DriverDependencyException($"The Cinder driver host program {program} is missing (driver_host_program)");
        }

        // Created with mode 0700: only Kiln's user can reach the socket and ask for a fork.
        var directory = Directory.CreateTempSubdirectory("kiln-zygote-").FullName;
        var socketPath = Path.Combine(directory, "fork.sock");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(program);
        start.ArgumentList.Add("--zygote");
        start.ArgumentList.Add(socketPath);
        start.Environment["PYTHONUNBUFFERED"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DriverDependencyException($"{python} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Directory.Delete(directory, recursive: true);
            throw new DriverDependencyException($"The Python interpreter {python} cannot be started ({ex.Message}); install python3 and python3-cinder or set driver_host_python", ex);
        }

        Log.ZygoteStarted(logger, process.Id, python);
        return new DriverHostZygote(process, directory, socketPath, logger);
    }

    /// <summary>
    /// Forks a host for <paramref name="backend"/>: waits for the zygote to be ready (its import), then opens the host's
    /// two streams and reads its hello. A zygote that failed its import fails the attempt with the import's error kind.
    /// </summary>
    public async Task<DriverHostProcess> ForkAsync(string backend, DriverHostRegistry registry, CancellationToken cancellationToken)
    {
        await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var token = Interlocked.Increment(ref nextToken).ToString(CultureInfo.InvariantCulture);
        var protocol = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var log = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            var endpoint = new UnixDomainSocketEndPoint(socketPath);
            await protocol.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            await protocol.SendAsync(Hello(token, "protocol"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            await log.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            await log.SendAsync(Hello(token, "log"), SocketFlags.None, cancellationToken).ConfigureAwait(false);

            var output = new StreamReader(new NetworkStream(protocol, ownsSocket: false), Encoding.UTF8);
            var first = await output.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new ZygoteUnavailableException($"The driver host zygote {Pid} closed the connection instead of forking a host", null);
            using var hello = JsonDocument.Parse(first);
            if (hello.RootElement.TryGetProperty("error", out var error))
            {
                throw HostErrors.ToException("fork", error);
            }

            var pid = hello.RootElement.GetProperty("hello").GetProperty("pid").GetInt32();
            var exit = exits.GetOrAdd(pid, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            if (HasEnded)
            {
                exit.TrySetResult(null);
            }

            var host = new DriverHostProcess(new ForkedEndpoint(pid, protocol, output, log, exit.Task), backend, logger, registry);
            _ = exit.Task.ContinueWith(_ => exits.TryRemove(pid, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return host;
        }
        catch (Exception ex) when (ex is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            protocol.Dispose();
            log.Dispose();
            throw new ZygoteUnavailableException($"The driver host zygote {Pid} could not fork a host: {ex.Message}", ex);
        }
        catch
        {
            protocol.Dispose();
            log.Dispose();
            throw;
        }
    }

    /// <summary>Kills the zygote by its id (its hosts live on until their own streams end).</summary>
    public void Kill(string reason)
    {
        if (HasEnded)
        {
            return;
        }

        try
        {
            process.Kill();
            Log.ZygoteKilled(logger, Pid, reason);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        try
        {
            await ended.Task.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill("it did not exit when Kiln stopped");
        }

        await Task.WhenAll(stdoutPump, stderrPump).ConfigureAwait(false);
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ReadOnlyMemory<byte> Hello(string token, string stream) =>
        Encoding.UTF8.GetBytes($"{{\"fork\":\"{token}\",\"stream\":\"{stream}\"}}\n");

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                OnEvent(line);
            }
        }
        catch (IOException)
        {
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        await stderrPump.ConfigureAwait(false);
        Log.ZygoteExited(logger, Pid, process.ExitCode);
        ended.TrySetResult();
        ready.TrySetException(new DriverException($"The driver host zygote {Pid} exited with code {process.ExitCode} before it was ready"));

        // Its hosts are orphans now: nobody can report their exit codes.
        foreach (var (_, exit) in exits)
        {
            exit.TrySetResult(null);
        }
    }

    private void OnEvent(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            switch (root.GetProperty("event").GetString())
            {
                case "ready":
                    Log.ZygoteReady(logger, Pid, root.GetProperty("import_seconds").GetDouble(), root.GetProperty("import_cpu_seconds").GetDouble());
                    ready.TrySetResult();
                    break;
                case "failed":
                    ready.TrySetException(HostErrors.ToException("import", root.GetProperty("error")));
                    break;
                case "exit":
                    var pid = root.GetProperty("pid").GetInt32();
                    exits.GetOrAdd(pid, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(root.GetProperty("code").GetInt32());
                    break;
                default:
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Log.ZygoteLine(logger, LogLevel.Warning, Pid, line);
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    Log.ZygoteLine(logger, line.StartsWith("ERROR", StringComparison.Ordinal) || line.StartsWith("CRITICAL", StringComparison.Ordinal) ? LogLevel.Error : LogLevel.Information, Pid, line);
                }
            }
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The zygote could not fork (it died, or its socket is gone): the launcher replaces it and tries once more.</summary>
internal sealed class ZygoteUnavailableException(string message, Exception? inner) : DriverException(message, inner);
