using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kiln.Tests.Shared;
using RabbitMQ.Client;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// One throwaway RabbitMQ (Debian's rabbitmq-server) for the tests of the <c>RabbitMQ</c> collection: on
/// loopback, on free ports of its own (AMQP, distribution and epmd, so it never meets a system epmd or
/// broker), with its database, logs and configuration in a temp directory. Its own epmd is started
/// first, in the foreground, so both processes are stopped by the PIDs started here. A missing
/// rabbitmq-server fails the tests (CI installs it with eng/install-test-deps.sh).
/// </summary>
public sealed class RabbitBroker : IAsyncLifetime
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Epmd = "/usr/bin/epmd";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-rabbitmq-");
    private readonly int amqpPort = FreePort();
    private readonly int distributionPort = FreePort();
    private readonly int epmdPort = FreePort();
    private readonly string nodeName = $"kiln-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40] + "@localhost";
    private Process? epmd;
    private Process? broker;

    public int Port => amqpPort;

    public string TransportUrl => $"rabbit://guest:guest@127.0.0.1:{amqpPort}/";

    public TimeSpan LastStartTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Server) || !File.Exists(Epmd))
        {
            throw new InvalidOperationException(
                $"{Server} or {Epmd} not found: the RabbitMQ bus tests need the Debian package rabbitmq-server (eng/install-test-deps.sh installs it).");
        }

        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{amqpPort}
            log.console = false
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "enabled_plugins"), "[].\n");
        var start = new ProcessStartInfo(Epmd) { ArgumentList = { "-port", epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-address", "127.0.0.1" }, RedirectStandardOutput = true, RedirectStandardError = true };
        epmd = Process.Start(start)!;
        await StartAsync();
    }

    /// <summary>Starts the broker (again, after <see cref="KillAsync"/>: same node, ports and data) and waits until it takes connections.</summary>
    public async Task StartAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var start = new ProcessStartInfo(Server) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.FullName };
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = dir.FullName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = nodeName,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir.FullName, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir.FullName, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir.FullName, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir.FullName, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dir.FullName, "rabbitmq.pid"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir.FullName, "rabbitmq-env.conf"),
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        broker = Process.Start(start)!;
        broker.OutputDataReceived += (_, _) => { };
        broker.ErrorDataReceived += (_, _) => { };
        broker.BeginOutputReadLine();
        broker.BeginErrorReadLine();

        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = amqpPort };
        var pauses = new Poll.Pauses();
        while (true)
        {
            if (broker.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {broker.ExitCode} at start-up; see {dir.FullName}/log");
            }

            try
            {
                await using var connection = await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
                LastStartTime = Stopwatch.GetElapsedTime(started);
                return;
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(90), $"rabbitmq-server not ready in 90 s; see {dir.FullName}/log");
                await pauses.NextAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>Kills the broker (SIGKILL to the process tree started here) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (broker is { HasExited: false })
        {
            broker.Kill(entireProcessTree: true);
            await broker.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        broker?.Dispose();
        broker = null;
    }

    /// <summary>A connection of the test's own, to look at queues from outside the bus.</summary>
    public Task<IConnection> ConnectAsync() => new ConnectionFactory { HostName = "127.0.0.1", Port = amqpPort }.CreateConnectionAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (broker is { HasExited: false })
        {
            broker.Kill(entireProcessTree: true);
            await broker.WaitForExitAsync();
        }

        broker?.Dispose();
        if (epmd is { HasExited: false })
        {
            epmd.Kill();
            await epmd.WaitForExitAsync();
        }

        epmd?.Dispose();
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting process: the temp directory is cleaned by the system.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The tests that share the one <see cref="RabbitBroker"/>; they run one after another (one restarts it).</summary>
[CollectionDefinition(Name)]
public sealed class RabbitBrokerGroup : ICollectionFixture<RabbitBroker>
{
    public const string Name = "RabbitMQ";
}
