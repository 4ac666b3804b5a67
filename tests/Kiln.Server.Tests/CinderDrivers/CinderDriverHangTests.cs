using Kiln.Core.Lifecycle;
using Kiln.Server.Tests.Api;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// A driver whose <c>do_setup</c> never returns: Kiln kills its host process at <c>driver_init_timeout</c> and the
/// next attempt runs in a fresh one. Its own server, so no other test moves the clock under the timeout.
/// </summary>
public sealed class CinderDriverHangTests
{
    private const string Sections = """
        [fast]
        volume_driver = fault

        [hang]
        volume_driver = kiln_test_drivers.ScriptedDriver
        kiln_test_setup = hang
        kiln_test_dir = $DIR
        reinit_driver_count = 1
        driver_init_timeout = 30
        """;

    [Fact]
    public async Task Setup_Hangs_KilledAtTheTimeoutEachAttemptInAFreshProcessThenGivesUp()
    {
        CinderHost.Prepare();
        await using var server = await TestServer.StartAsync("fast,hang", Sections, defaults: "reinit_backoff_initial = 1\nreinit_backoff_max = 2", waitForDatabase: false);
        var fastLeftReady = new List<BackendState>();
        CinderHost.Backend(server, "fast").Changed += (previous, next) =>
        {
            if (previous.State == BackendState.Ready && next.State != BackendState.Ready)
            {
                lock (fastLeftReady)
                {
                    fastLeftReady.Add(next.State);
                }
            }
        };

        // The clock moves only while an attempt is inside the hanging do_setup (or waits for its backoff), so the
        // timeout is what ends each attempt, never a slow start of the process.
        var gaveUp = await CinderHost.WaitForAsync(
            server,
            "hang",
            s => s.State == BackendState.GaveUp,
            s => s.State == BackendState.Failed || (s.State == BackendState.Initializing && CinderHost.Pids(server, "hang", "do_setup").Length > s.ReinitAttempts));

        gaveUp.ReinitAttempts.ShouldBe(1);
        gaveUp.ErrorClass.ShouldBe("DriverTimeoutException");
        var pids = CinderHost.Pids(server, "hang", "do_setup");
        pids.Length.ShouldBe(2);
        pids.Distinct().Count().ShouldBe(2);
        foreach (var pid in pids)
        {
            await CinderHost.WaitGoneAsync(pid);
        }

        CinderHost.Backend(server, "fast").Snapshot.State.ShouldBe(BackendState.Ready);
        lock (fastLeftReady)
        {
            fastLeftReady.ShouldBeEmpty();
        }
    }
}
