using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Kiln.Tests.Shared;

namespace Kiln.Failover.Tests;

/// <summary>
/// A throwaway RabbitMQ (Debian's rabbitmq-server) for one failover run, restartable on the same node,
/// ports and data: loopback only, its own epmd on its own port (so it never meets a system epmd or broker),
/// stopped by the PIDs started here. As the bus tests' <c>RabbitBroker</c>, without a client library: ready
/// is "the AMQP port takes connections", which the broker opens last in its boot.
/// </summary>
internal sealed class ThrowawayRabbit(string directory) : IAsyncDisposable
{
    public const string Package = "rabbitmq-server";
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Epmd = "/usr/bin/epmd";

    private readonly int amqpPort = FreePort.Next();
    private readonly int distributionPort = FreePort.Next();
    private readonly int epmdPort = FreePort.Next();
    private readonly string nodeName = $"kiln-fo-{Environment.ProcessId}-{Guid.NewGuid():N}"[..36] + "@localhost";
    private Process? epmd;
    private Process? broker;

    public string TransportUrl => string.Create(CultureInfo.InvariantCulture, $"rabbit://guest:guest@127.0.0.1:{amqpPort}/");

    /// <summary>The broker's PID (beam.smp runs under it), for CPU accounting.</summary>
    public int? ProcessId => broker is { HasExited: false } ? broker.Id : null;

    public async Task CreateAsync()
    {
        if (!File.Exists(Server) || !File.Exists(Epmd))
        {
            throw new InvalidOperationException(
                $"{Server} or {Epmd} not found: the failover tests need the Debian package {Package} (eng/install-test-deps.sh installs it).");
        }

        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{amqpPort}
            log.console = false
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n");
        epmd = Run.Start(Epmd, ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"]);
        await StartAsync();
    }

    /// <summary>Starts the broker and waits until its AMQP port takes connections.</summary>
    public async Task StartAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = nodeName,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
        };
        var process = Run.Start(Server, [], environment: environment);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        broker = process;
        var pauses = new Poll.Pauses();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {process.ExitCode} at start-up; see {directory}/log");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", amqpPort);
                return;
            }
            catch (SocketException)
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(90))
                {
                    throw new InvalidOperationException($"rabbitmq-server not ready in 90 s; see {directory}/log");
                }

                await pauses.NextAsync();
            }
        }
    }

    /// <summary>
    /// Stops the broker: with <paramref name="graceful"/> SIGTERM to the Erlang node (an orderly shutdown, as
    /// <c>systemctl restart rabbitmq-server</c> does; SIGKILL if it has not exited after 60 s), otherwise SIGKILL
    /// to the process tree started here (the node's queues are durable, on disk).
    /// </summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (broker is { HasExited: false } && graceful)
        {
            var pidFile = Path.Combine(directory, "rabbitmq.pid");
            var pid = File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var node) ? node : broker.Id;
            using (var term = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await broker.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                // Not down after a minute: killed below.
            }
        }

        if (broker is { HasExited: false })
        {
            broker.Kill(entireProcessTree: true);
            await broker.WaitForExitAsync();
        }

        broker?.Dispose();
        broker = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (epmd is { HasExited: false })
        {
            epmd.Kill();
            await epmd.WaitForExitAsync();
        }

        epmd?.Dispose();
        epmd = null;
    }
}
