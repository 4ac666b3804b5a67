using System.Diagnostics;
using System.Net;
using Kiln.Tests.Shared;

namespace Kiln.Chaos.Tests;

/// <summary>
/// Found while reading a chaos run's log (seed 1, "writing the lifecycle snapshot to its service record
/// failed" while the database was full): a lifecycle change whose write failed was dropped, so the
/// stored service record — what every other Kiln node reads — kept the old state for good once space
/// was back. (This node's own os-services overlays the live state, which hid it.)
/// </summary>
public sealed class LifecycleRecordTests
{
    [Fact]
    public async Task OsServices_BackendChangesWhileDatabaseFull_ShowsTheRealStateOnceSpaceIsBack()
    {
        var settings = new ChaosSettings(0, TimeSpan.Zero);
        var output = TestContext.Current.TestOutputHelper;
        var cluster = await ChaosCluster.CreateAsync(settings, line => output?.WriteLine(line));
        try
        {
            cluster.DatabaseFillUnavailable.ShouldBeNull("this test needs the tmpfs it fills (run as root)");
            await cluster.StartAsync();
            var api = new ChaosApi(cluster, Stopwatch.StartNew());
            await WaitForStateAsync(api, "f2", "ready", TimeSpan.FromSeconds(60));

            cluster.FillDatabase();
            try
            {
                // SQLite reuses the space of its write-ahead log after a checkpoint, so a full filesystem
                // only bites once that is used up: write until a write fails.
                for (var i = 0; i < 500 && (await api.CreateVolumeAsync(1, "__DEFAULT__")).Status != HttpStatusCode.InternalServerError; i++)
                {
                }

                // Stats fail, then the re-initialization meets a configuration error: ready → degraded → failed → unrecoverable.
                cluster.WriteControl("f2", """{"stats": "fail", "init": "config"}""");

                // Free the space only after the writes of the new states failed (the failure is logged once
                // per outage) and the final one had its chance to fail too.
                await WaitForOutputAsync(cluster, "Backend chaos@f2: writing the lifecycle snapshot to its service record failed", then: "Backend chaos@f2: initializing -> unrecoverable");
                await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            }
            finally
            {
                cluster.FreeDatabase();
            }

            // Nothing changes any more (unrecoverable waits for an operator): only a retried write can store it.
            await WaitForStoredStateAsync(cluster, "f2", "unrecoverable", TimeSpan.FromSeconds(10));
        }
        finally
        {
            await cluster.DisposeAsync();
            cluster.DeleteFiles();
        }
    }

    private static async Task WaitForStoredStateAsync(ChaosCluster cluster, string backend, string state, TimeSpan timeout) =>
        await Poll.UntilAsync(
            () => ReadStoredStateAsync(cluster, backend),
            last => last == state,
            timeout,
            last => $"the service record of {backend} says '{last}', not {state}, {timeout.TotalSeconds} s after the database had space again");

    // The stored record as another node sees it, read with the sqlite3 shell (read-only).
    private static async Task<string> ReadStoredStateAsync(ChaosCluster cluster, string backend)
    {
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-readonly", Path.Combine(cluster.DatabaseDirectory, "kiln.db"), $"select driver_state from services where host = '{ChaosCluster.Host}@{backend}'" })
        {
            info.ArgumentList.Add(argument);
        }

        using var sqlite = Process.Start(info)!;
        var text = await sqlite.StandardOutput.ReadToEndAsync() + await sqlite.StandardError.ReadToEndAsync();
        await sqlite.WaitForExitAsync();
        return text.Trim();
    }

    private static Task WaitForOutputAsync(ChaosCluster cluster, string first, string then) =>
        Poll.UntilAsync(
            () =>
            {
                var output = cluster.Output;
                var at = output.IndexOf(first, StringComparison.Ordinal);
                return at >= 0 && output.IndexOf(then, at, StringComparison.Ordinal) >= 0;
            },
            TimeSpan.FromSeconds(30),
            $"kiln never logged '{first}' followed by '{then}'");

    private static async Task WaitForStateAsync(ChaosApi api, string backend, string state, TimeSpan timeout) =>
        await Poll.UntilAsync(
            async () => await api.BackendsAsync() is { } services
                ? services.Single(s => s.GetProperty("host").GetString() == $"{ChaosCluster.Host}@{backend}").GetProperty("driver_state").GetString()
                : null,
            last => last == state,
            timeout,
            last => $"os-services shows {backend} {last ?? "(no answer)"}, not {state}, {timeout.TotalSeconds} s after it became {state} and the database had space again");
}
