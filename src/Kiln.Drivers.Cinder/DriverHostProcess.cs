using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// One driver host process and the JSON-lines conversation with it (docs/drivers/cinder-protocol.md).
/// Calls may overlap; responses are matched by id. A call that is cancelled (a timeout of Kiln's, or
/// shutdown) kills the process: a Python call cannot be interrupted, and a driver stuck in it must not
/// keep running beside the next attempt's fresh process. When the process dies every pending call fails
/// with a recoverable <see cref="DriverException"/>.
/// </summary>
public sealed class DriverHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    private readonly IHostEndpoint endpoint;
    private readonly string backend;
    private readonly ILogger logger;
    private readonly DriverHostRegistry registry;
    private readonly ConcurrentDictionary<long, Pending> pending = new();
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextId;
    private volatile string? deathReason;
    private volatile string? lastStderrLine;
    private int? exitCode;

    internal DriverHostProcess(IHostEndpoint endpoint, string backend, ILogger logger, DriverHostRegistry registry)
    {
        this.endpoint = endpoint;
        this.backend = backend;
        this.logger = logger;
        this.registry = registry;
        Pid = endpoint.Pid;
        registry.Add(this, backend);
        stdoutPump = Task.Run(PumpStdoutAsync);
        stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>The operating system's id of the host process.</summary>
    public int Pid { get; }

    /// <summary>Whether the process has ended (exited, crashed or killed).</summary>
    public bool HasEnded => exited.Task.IsCompleted;

    /// <summary>
    /// Starts <paramref name="program"/> under <paramref name="python"/>. The process inherits Kiln's environment,
    /// so <c>PYTHONPATH</c> loads out-of-tree drivers as it does for cinder-volume. A missing interpreter or
    /// program is a dependency error.
    /// </summary>
    public static DriverHostProcess Start(string python, string program, string backend, ILogger logger, DriverHostRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!File.Exists(program))
        {
            throw new DriverDependencyException($"The Cinder driver host program {program} is missing (driver_host_program)");
        }

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };

        // -u: unbuffered, so a driver's log lines arrive before a crash takes them with it.
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(program);
        start.Environment["PYTHONUNBUFFERED"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DriverDependencyException($"{python} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new DriverDependencyException($"The Python interpreter {python} cannot be started ({ex.Message}); install python3 and python3-cinder or set driver_host_python", ex);
        }

        // Deliberately at Kiln's own priority: at nice 10 a host process on a machine busy with other work took over
        // two minutes to import Cinder (measured on the 2-core build machine), so every attempt hit its timeout.
        return new DriverHostProcess(new SpawnedEndpoint(process), backend, logger, registry);
    }

    /// <summary>Sends one request and returns its result (JSON null when the driver returned nothing).</summary>
    public async Task<JsonElement> CallAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        ThrowIfEnded(method);
        var id = Interlocked.Increment(ref nextId);
        var call = new Pending(method);
        pending[id] = call;
        try
        {
            // The pump marks the process ended before it fails the pending calls: a call registered after that sees it here.
            if (HasEnded)
            {
                call.Result.TrySetException(new DriverException($"{method}: {EndedText()}") { DriverGone = true });
            }

            var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
            var line = request.ToJsonString();
            await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await endpoint.Input.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                await endpoint.Input.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The process died under the write; the pump fails the call with the reason.
            }
            catch (ObjectDisposedException)
            {
                // Likewise, for a forked host's socket.
            }
            finally
            {
                writeGate.Release();
            }

            try
            {
                return await call.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Here rather than in a token registration: WaitAsync's own registration may resume this method
                // inline, and leaving a using block would unregister a callback that has not run yet.
                Kill("a call was cancelled (timeout or shutdown)");
                throw;
            }
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Kills the process (and anything it started) by its id; pending calls fail. Safe to call more than once.</summary>
    public void Kill(string reason)
    {
        if (HasEnded)
        {
            return;
        }

        deathReason ??= reason;
        endpoint.Kill();
        Log.HostKilled(logger, backend, Pid, reason);
    }

    internal DriverHostUsage? Sample() => HasEnded ? null : endpoint.Sample();

    /// <summary>Closes the host's stdin (it exits at EOF), and kills it if it has not exited within a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        registry.Remove(this);
        endpoint.CloseInput();

        try
        {
            await exited.Task.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill("it did not exit when Kiln let go of the driver");
        }

        await Task.WhenAll(stdoutPump, stderrPump).ConfigureAwait(false);
        endpoint.Dispose();
        writeGate.Dispose();
    }

    private void ThrowIfEnded(string method)
    {
        if (HasEnded)
        {
            throw new DriverException($"{method}: {EndedText()}") { DriverGone = true };
        }
    }

    private string EndedText()
    {
        var code = exitCode is { } known ? known.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        var text = deathReason is { } reason
            ? $"driver host process {Pid} was killed: {reason}"
            : $"driver host process {Pid} exited with code {code}";
        return lastStderrLine is { } last ? $"{text}; its last log line: {last}" : text;
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await endpoint.Output.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Dispatch(line);
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process.
        }
        catch (ObjectDisposedException)
        {
        }

        exitCode = await endpoint.WaitForExitAsync().ConfigureAwait(false);
        await stderrPump.ConfigureAwait(false);
        if (deathReason is null)
        {
            if (exitCode is { } code)
            {
                Log.HostExited(logger, backend, Pid, code);
            }
            else
            {
                Log.HostEndedUnknown(logger, backend, Pid);
            }
        }

        registry.Remove(this);
        exited.TrySetResult();
        foreach (var (_, call) in pending)
        {
            call.Result.TrySetException(new DriverException($"{call.Method}: {EndedText()}") { DriverGone = true });
        }
    }

    private async Task PumpStderrAsync()
    {
        var level = LogLevel.Information;
        try
        {
            while (await endpoint.Errors.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                // The host formats records as "LEVEL logger message"; continuation lines (tracebacks) keep the level.
                var first = line.Split(' ', 2)[0];
                level = first switch
                {
                    "DEBUG" => LogLevel.Debug,
                    "INFO" => LogLevel.Information,
                    "WARNING" => LogLevel.Warning,
                    "ERROR" => LogLevel.Error,
                    "CRITICAL" => LogLevel.Critical,
                    _ => level,
                };
                if (line.Length > 0)
                {
                    lastStderrLine = line;
                    Log.DriverLine(logger, level, backend, Pid, line);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Dispatch(string line)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            Log.BadLine(logger, backend, Pid, line);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id) || !pending.TryGetValue(id, out var call))
        {
            Log.BadLine(logger, backend, Pid, line);
            return;
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            call.Result.TrySetException(HostErrors.ToException(call.Method, error));
        }
        else
        {
            call.Result.TrySetResult(root.TryGetProperty("result", out var result) ? result : default);
        }
    }

    private sealed class Pending(string method)
    {
        public string Method { get; } = method;

        public TaskCompletionSource<JsonElement> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
