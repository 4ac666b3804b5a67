using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kiln.Failover.Tests;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for one failover run, restartable: initdb into the run's directory
/// (as the postgres user when the tests run as root), the postmaster on a loopback port of its own with its
/// unix sockets in that directory, stopped by the PID started here (SIGINT: fast shutdown). Unlike the
/// persistence tests' cluster it keeps fsync on: a restart must find what was committed. Missing
/// PostgreSQL fails the run, naming the Debian package.
/// </summary>
internal sealed class ThrowawayPostgres(string directory) : IAsyncDisposable
{
    public const string Package = "postgresql-15";
    private readonly int port = FreePort.Next();
    private Process? postmaster;

    public static string BinDirectory => Environment.GetEnvironmentVariable("KILN_TEST_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    public string Url => string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{port}/kiln");

    /// <summary>The postmaster's PID (its backends are its children), for CPU accounting.</summary>
    public int? ProcessId => postmaster is { HasExited: false } ? postmaster.Id : null;

    private string Data => Path.Combine(directory, "data");

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>Creates the cluster and the <c>kiln</c> database (C collation, as docs/deployment/postgresql.md asks).</summary>
    public async Task CreateAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"{initdb} is missing: the failover tests need PostgreSQL 15, the Debian package {Package} (eng/install-test-deps.sh installs it).");
        }

        Directory.CreateDirectory(directory);
        if (AsRoot)
        {
            // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
            await Run.CheckedAsync("chown", ["postgres:postgres", directory]);
        }

        await Run.CheckedAsync(initdb, ["-D", Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], AsRoot);
        await StartAsync();
        await Run.CheckedAsync(Path.Combine(BinDirectory, "createdb"), ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-T", "template0", "-E", "UTF8", "--lc-collate=C", "--lc-ctype=C", "kiln"]);
    }

    /// <summary>Starts the postmaster on the existing cluster and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        postmaster = Run.Start(
            Path.Combine(BinDirectory, "postgres"),
            ["-D", Data, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", directory, "-c", "max_connections=400"],
            AsRoot);
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
    }

    /// <summary>Fast shutdown (SIGINT to the postmaster's PID): every connection is cut, committed work stays.</summary>
    public async Task StopAsync()
    {
        if (postmaster is not { HasExited: false } running)
        {
            return;
        }

        await Run.CheckedAsync("kill", ["-INT", running.Id.ToString(CultureInfo.InvariantCulture)]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await running.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        running.Dispose();
        postmaster = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>Free loopback ports, and small process helpers shared by the throwaway servers.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Run
{
    public static Process Start(string program, string[] arguments, bool asPostgres = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        // setpriv execs the program (runuser would fork and wait), so the PID is the program's own.
        var info = asPostgres
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    public static async Task<string> CheckedAsync(string program, string[] arguments, bool asPostgres = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(program, arguments, asPostgres, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }

        return await output + await error;
    }
}
