using System.Diagnostics;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>Waits and checks shared by the upstream Cinder driver tests: real Python host processes under Kiln's fake clock.</summary>
internal static class CinderHost
{
    /// <summary>
    /// Real-time patience for a host process: importing Cinder takes 2–3 s of CPU, and several backends start at
    /// once on a loaded 2-core machine (over 2 minutes measured while five helpers built at once). Waits end as soon
    /// as their condition holds.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    /// <summary>
    /// Puts the test drivers on PYTHONPATH (the host process inherits Kiln's environment, as cinder-volume's
    /// drivers do) and fails, naming the package, when Debian's python3-cinder is not installed.
    /// </summary>
    public static void Prepare()
    {
        File.Exists("/usr/bin/python3").ShouldBeTrue("/usr/bin/python3 is missing: install python3 and python3-cinder (eng/install-test-deps.sh)");
        File.Exists("/usr/lib/python3/dist-packages/cinder/volume/driver.py").ShouldBeTrue("Cinder is not importable: install python3-cinder (eng/install-test-deps.sh)");
        Environment.SetEnvironmentVariable("PYTHONPATH", Path.Combine(AppContext.BaseDirectory, "CinderDrivers"));
    }

    public static BackendHost Backend(TestServer server, string name) => server.Service<BackendCatalog>().Find($"node@{name}")!;

    /// <summary>
    /// Polls <paramref name="name"/>'s snapshot until <paramref name="done"/>; while <paramref name="advance"/> says so,
    /// moves the fake clock one second per poll (backoff and Kiln's timeouts run on it; the Python processes do not).
    /// </summary>
    public static async Task<BackendSnapshot> WaitForAsync(TestServer server, string name, Func<BackendSnapshot, bool> done, Func<BackendSnapshot, bool>? advance = null)
    {
        var backend = Backend(server, name);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var snapshot = backend.Snapshot;
            if (done(snapshot))
            {
                return snapshot;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Patience, $"node@{name} stays {snapshot.State} ({snapshot.ErrorText}); calls: {string.Join(" | ", Calls(server, name))}");
            if (advance?.Invoke(snapshot) == true)
            {
                server.Time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The test driver's call log of <paramref name="name"/>: <c>pid call</c> lines.</summary>
    public static string[] Calls(TestServer server, string name)
    {
        var path = Path.Combine(server.Directory, $"{name}.calls");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>The process ids that ran <paramref name="call"/>, in order.</summary>
    public static int[] Pids(TestServer server, string name, string call) =>
        [.. Calls(server, name).Where(l => l.EndsWith($" {call}", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Waits until process <paramref name="pid"/> is gone (killed and reaped).</summary>
    public static async Task WaitGoneAsync(int pid)
    {
        var started = Stopwatch.GetTimestamp();
        while (Directory.Exists($"/proc/{pid}"))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"driver host process {pid} is still alive");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
