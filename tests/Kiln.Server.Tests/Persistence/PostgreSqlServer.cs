using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

[assembly: AssemblyFixture(typeof(Kiln.Server.Tests.Persistence.PostgreSqlServerLifetime))]

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// One throwaway PostgreSQL 15 cluster for the whole test run, started on first use: initdb into a temp
/// directory (as the postgres user when the tests run as root), the postmaster on a free loopback port with
/// its unix sockets in that directory, stopped by its PID when the run ends. Each test takes a database of its
/// own, copied from a template migrated once (a CREATE DATABASE … TEMPLATE costs milliseconds, a migration
/// a second). Missing PostgreSQL fails the tests, naming the Debian package: CI installs it.
/// </summary>
internal sealed class PostgreSqlServer
{
    public const string Package = "postgresql-15";

    private const string Template = "kiln_template";

    private static readonly Lazy<Task<PostgreSqlServer>> Shared = new(StartAsync);

    private readonly DirectoryInfo directory;
    private readonly Process postmaster;
    private static readonly SemaphoreSlim Creating = new(1, 1);
    private int databases;

    private PostgreSqlServer(DirectoryInfo directory, Process postmaster, int port)
    {
        this.directory = directory;
        this.postmaster = postmaster;
        Port = port;
    }

    /// <summary>Where PostgreSQL's programs are (Debian's layout; KILN_TEST_PG_BIN overrides).</summary>
    public static string BinDirectory => Environment.GetEnvironmentVariable("KILN_TEST_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    public int Port { get; }

    /// <summary>The cluster of this test run, started by the first caller.</summary>
    public static Task<PostgreSqlServer> GetAsync() => Shared.Value;

    /// <summary>A Kiln connection URL for <paramref name="database"/>.</summary>
    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{Port}/{database}");

    /// <summary>An Npgsql connection string for <paramref name="database"/>, for tests that look at it without Kiln.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
    }.ConnectionString;

    /// <summary>A new database with Kiln's schema (and seed) as <c>kiln db sync</c> leaves it, or empty.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrated = true)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"kiln_{Interlocked.Increment(ref databases)}");
        // FILE_COPY copies the template's files; PostgreSQL 15's default (WAL_LOG) writes every page of
        // them to the WAL: 3.9 s against 0.5 s a copy on this loaded 2-core machine.
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {(migrated ? Template : "template0")} STRATEGY FILE_COPY");
        return name;
    }

    /// <summary>Runs one statement on the maintenance database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        // Copies of one template must not overlap: PostgreSQL refuses a template another copy is reading.
        await Creating.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            Creating.Release();
        }
    }

    /// <summary>Stops the cluster of this run if it was started: SIGINT (fast shutdown) to the postmaster's PID, then its directory goes.</summary>
    public static async ValueTask StopSharedAsync()
    {
        if (!Shared.IsValueCreated || !Shared.Value.IsCompletedSuccessfully)
        {
            return;
        }

        var server = Shared.Value.Result;
        NpgsqlConnection.ClearAllPools();
        using (var kill = Process.Start("kill", ["-INT", server.postmaster.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await server.postmaster.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            server.postmaster.Kill();
        }

        server.postmaster.Dispose();
        server.directory.Delete(recursive: true);
    }

    private static async Task<PostgreSqlServer> StartAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is needed by the PostgreSQL persistence tests and {initdb} is missing: install the Debian package {Package} (eng/install-test-deps.sh does).");
        }

        var directory = Directory.CreateTempSubdirectory("kiln-pg-");
        var data = Path.Combine(directory.FullName, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres:postgres", directory.FullName]);
        }

        await RunAsync(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], asRoot);
        var port = FreePort();

        // Durability is not under test: without fsync a CREATE DATABASE and a commit cost no disk syncs.
        var postmaster = Start(
            Path.Combine(BinDirectory, "postgres"),
            ["-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", directory.FullName,
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
             "-c", "deadlock_timeout=100ms"],
            asRoot);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        postmaster.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            log.Enqueue(line.Data);
            if (line.Data.Contains("ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        postmaster.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"postgres exited at start: {string.Join('\n', log)}"));
        postmaster.EnableRaisingEvents = true;
        postmaster.BeginErrorReadLine();
        postmaster.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var server = new PostgreSqlServer(directory, postmaster, port);
        await server.MigrateTemplateAsync();
        return server;
    }

    /// <summary>Migrates and seeds the template with Kiln's own <c>kiln db sync</c> path, then closes every connection to it.</summary>
    private async Task MigrateTemplateAsync()
    {
        await ExecuteAsync($"CREATE DATABASE {Template}");
        var configuration = KilnConfigurationLoader.Load(null, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__state_path"] = directory.FullName,
            ["KILN__DEFAULT__storage_availability_zone"] = "zone-a",
            ["KILN__database__connection"] = Url(Template),
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestDatabase.Start));
        services.AddKilnPersistence(configuration);
        await using (var provider = services.BuildServiceProvider())
        {
            await PersistenceSetup.SyncAsync(provider, CancellationToken.None);
        }

        NpgsqlConnection.ClearAllPools();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string program, string[] arguments, bool asPostgres = false)
    {
        // setpriv execs the program (runuser would fork and wait), so the PID is the program's own.
        var info = asPostgres
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        return Process.Start(info)!;
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres = false)
    {
        using var process = Start(program, arguments, asPostgres);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

/// <summary>Stops the run's PostgreSQL cluster (if a test started it) when the test assembly is done.</summary>
public sealed class PostgreSqlServerLifetime : IAsyncDisposable
{
    public ValueTask DisposeAsync() => PostgreSqlServer.StopSharedAsync();
}
