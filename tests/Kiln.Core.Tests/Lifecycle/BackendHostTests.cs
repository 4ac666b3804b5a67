using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

public sealed class BackendHostTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task RunAsync_HealthyDriver_IsReadyWithStats()
    {
        await using var h = new Harness();
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Snapshot.Stats.ShouldNotBeNull();
        h.Snapshot.StatsUpdatedAt.ShouldBe(Harness.Start);
        h.Snapshot.ErrorClass.ShouldBeNull();
        h.Storage.Calls.ShouldBe(["create", "setup", "check", "stats"]);
        h.Cleaner.Calls.ShouldBe(1);
        h.Host.Driver.ShouldNotBeNull();
    }

    [Fact]
    public async Task RunAsync_Ready_PublishesStatsEveryPollingInterval()
    {
        await using var h = new Harness(new LifecycleOptions { StatsPollingInterval = TimeSpan.FromSeconds(30) });
        await h.StartAsync();

        (await h.AdvanceToNextWakeAsync()).ShouldBe(TimeSpan.FromSeconds(30));
        (await h.AdvanceToNextWakeAsync()).ShouldBe(TimeSpan.FromSeconds(30));

        h.Storage.Count("stats").ShouldBe(3);
        h.Snapshot.StatsUpdatedAt.ShouldBe(Harness.Start + TimeSpan.FromSeconds(60));
    }

    // Spec case 1: the driver is not supported.
    [Fact]
    public async Task RunAsync_DriverNotSupported_IsUnrecoverableAfterOneAttemptAndNeverRetried()
    {
        await using var h = new Harness();
        h.Storage.SetupDefault = Storage.Throw(new DriverNotSupportedException("firmware 1.0 is not supported"));
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Unrecoverable);
        h.Snapshot.ErrorClass.ShouldBe(nameof(DriverNotSupportedException));
        h.Snapshot.ErrorMessage.ShouldBe("firmware 1.0 is not supported");
        h.Snapshot.NextAttemptAt.ShouldBeNull();
        h.Host.Parks.Until.ShouldBeNull();
        h.Time.Advance(TimeSpan.FromDays(7));

        h.Storage.Count("setup").ShouldBe(1);
        h.State.ShouldBe(BackendState.Unrecoverable);
    }

    // Spec case 2: driver initialization fails while the storage is not ready.
    [Fact]
    public async Task RunAsync_InitFailsThenStorageComesBack_RecoversOnTheNextAttempt()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("array still booting")));
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ErrorClass.ShouldBe(nameof(DriverException));
        h.Snapshot.ErrorMessage.ShouldBe("array still booting");
        h.Snapshot.ReinitAttempts.ShouldBe(0);
        h.Snapshot.NextAttemptAt.ShouldNotBeNull();
        h.Host.Driver.ShouldBeNull();

        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Snapshot.ErrorClass.ShouldBeNull();
        h.Storage.Count("setup").ShouldBe(2);
    }

    // Spec case 3: cleanup of resources left by an earlier run fails.
    [Fact]
    public async Task RunAsync_CleanupFails_IsARecoverableInitFailure()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Cleaner.Next = Storage.Throw(new IOException("database locked"));
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ErrorClass.ShouldBe(nameof(IOException));

        h.Cleaner.Next = _ => Task.CompletedTask;
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Cleaner.Calls.ShouldBe(2);
    }

    // Spec case 4: publishing capabilities fails.
    [Fact]
    public async Task RunAsync_StatsFailOnce_IsDegradedWithStaleStatsThenReadyAgain()
    {
        await using var h = new Harness();
        await h.StartAsync();
        var published = h.Snapshot.Stats;

        h.Storage.Stats = Storage.Throw(new DriverException("stats timed out"));
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Degraded);
        h.State.IsSchedulable().ShouldBeTrue();
        h.Snapshot.Stats.ShouldBeSameAs(published);
        h.Snapshot.ConsecutiveStatsFailures.ShouldBe(1);
        h.Snapshot.ErrorMessage.ShouldBe("stats timed out");
        h.Host.Driver.ShouldNotBeNull();

        h.Storage.Stats = _ => Task.CompletedTask;
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Snapshot.ConsecutiveStatsFailures.ShouldBe(0);
        h.Snapshot.ErrorClass.ShouldBeNull();
    }

    [Fact]
    public async Task RunAsync_StatsFailThresholdTimes_FailsAndStartsAFreshCycle()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 2, StatsFailureThreshold = 3 });
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("boot")));
        await h.StartAsync();
        await h.AdvanceToNextWakeAsync();
        h.State.ShouldBe(BackendState.Ready);

        h.Storage.Stats = Storage.Throw(new DriverException("array gone"));
        await h.AdvanceToNextWakeAsync();
        h.State.ShouldBe(BackendState.Degraded);
        await h.AdvanceToNextWakeAsync();
        h.State.ShouldBe(BackendState.Degraded);
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ReinitAttempts.ShouldBe(0);
        h.Snapshot.ConsecutiveStatsFailures.ShouldBe(3);
        h.Snapshot.NextAttemptAt.ShouldNotBeNull();
        h.Host.Driver.ShouldBeNull();

        // Fresh budget: two re-inits (each re-init publishes stats, which fail, so setup succeeds but the backend goes degraded).
        h.Storage.SetupDefault = Storage.Throw(new DriverException("still gone"));
        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);
        h.Storage.Count("setup").ShouldBe(2 + 2);
    }

    [Fact]
    public async Task RunAsync_InitWorksButStatsNeverDo_SpendsTheBudgetAndGivesUp()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 2, StatsFailureThreshold = 1 });
        h.Storage.Probe = null;
        h.Storage.Stats = Storage.Throw(new DriverException("stats broken"));
        await h.StartAsync();
        h.State.ShouldBe(BackendState.Failed);

        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp, maxSteps: 50);

        h.State.ShouldBe(BackendState.GaveUp);
        h.Storage.Count("setup").ShouldBe(3);
        h.Snapshot.ErrorMessage.ShouldBe("stats broken");
    }

    [Fact]
    public async Task RunAsync_StatsThresholdOne_FailsOnFirstStatsFailure()
    {
        await using var h = new Harness(new LifecycleOptions { StatsFailureThreshold = 1 });
        await h.StartAsync();
        h.Storage.Stats = Storage.Throw(new DriverException("gone"));

        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Failed);
    }

    [Fact]
    public async Task RunAsync_FirstStatsFailAfterInit_IsDegradedWithoutStats()
    {
        await using var h = new Harness();
        h.Storage.Stats = Storage.Throw(new DriverException("no stats yet"));
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Degraded);
        h.Snapshot.Stats.ShouldBeNull();
        h.Storage.Count("setup").ShouldBe(1);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 6)]
    public async Task RunAsync_RecoverableFailuresForever_GivesUpAfterBudgetPlusFirstAttempt(int budget, int expectedAttempts)
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = budget });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("login failed"));
        await h.StartAsync();

        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        h.State.ShouldBe(BackendState.GaveUp);
        h.Storage.Count("setup").ShouldBe(expectedAttempts);
        h.Snapshot.ReinitAttempts.ShouldBe(budget);
        h.Snapshot.ReinitBudget.ShouldBe(budget);
        h.Snapshot.ErrorMessage.ShouldBe("login failed");
        h.Snapshot.NextAttemptAt.ShouldBeNull();
        h.Host.Parks.Until.ShouldBeNull();

        h.Time.Advance(TimeSpan.FromDays(1));
        h.Storage.Count("setup").ShouldBe(expectedAttempts);
    }

    [Fact]
    public async Task RunAsync_DefaultBudget_MakesFourAttemptsInAll()
    {
        await using var h = new Harness();
        h.Storage.SetupDefault = Storage.Throw(new DriverException("login failed"));
        await h.StartAsync();

        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        h.Storage.Count("setup").ShouldBe(4);
    }

    [Fact]
    public async Task RunAsync_UnlimitedBudget_KeepsRetrying()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 0, ReinitBackoffMax = TimeSpan.FromSeconds(10) });
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("login failed"));
        await h.StartAsync();

        for (var i = 0; i < 50; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.State.ShouldBe(BackendState.Failed);
        h.Storage.Count("setup").ShouldBe(51);
        h.Snapshot.ReinitAttempts.ShouldBe(50);
        h.Snapshot.ReinitBudget.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_RepeatedFailures_BackoffDoublesUpToTheCapWithJitter()
    {
        var options = new LifecycleOptions
        {
            ReinitDriverCount = 0,
            ReinitBackoffInitial = TimeSpan.FromSeconds(10),
            ReinitBackoffMax = TimeSpan.FromSeconds(60),
        };
        await using var h = new Harness(options);
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();

        double[] expected = [10, 20, 40, 60, 60, 60];
        foreach (var nominal in expected)
        {
            var waited = await h.AdvanceToNextWakeAsync();
            waited.TotalSeconds.ShouldBeInRange(nominal * 0.8, nominal * 1.2);
        }
    }

    [Fact]
    public async Task RunAsync_SameSeed_SameSchedule()
    {
        async Task<List<TimeSpan>> Schedule(int seed)
        {
            await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 0 }, seed);
            h.Storage.Probe = null;
            h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
            await h.StartAsync();
            var waits = new List<TimeSpan>();
            for (var i = 0; i < 5; i++)
            {
                waits.Add(await h.AdvanceToNextWakeAsync());
            }

            return waits;
        }

        (await Schedule(7)).ShouldBe(await Schedule(7));
        (await Schedule(7)).ShouldNotBe(await Schedule(8));
    }

    [Fact]
    public async Task RunAsync_ProbeNotReady_SkipsScheduledAttemptsWithoutSpendingBudget()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 1 });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("unreachable"));
        h.Storage.Probe = () => ProbeResult.NotReady("no route to array");
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(30));
        for (var i = 0; i < 200; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.State.ShouldBe(BackendState.Failed);
        h.Storage.Count("setup").ShouldBe(1);
        h.Snapshot.ReinitAttempts.ShouldBe(0);
        h.Storage.Count("probe").ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task RunAsync_ProbeTurnsReady_AttemptsWithinOneProbeIntervalNotAtBackoff()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitBackoffInitial = TimeSpan.FromSeconds(50), ReinitProbeInterval = TimeSpan.FromSeconds(2) });
        var reachable = false;
        h.Storage.Probe = () => reachable ? ProbeResult.Ready : ProbeResult.NotReady("booting");
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("booting")));
        await h.StartAsync();
        (await h.AdvanceToNextWakeAsync()).ShouldBe(TimeSpan.FromSeconds(2));

        reachable = true;
        var waited = await h.AdvanceToNextWakeAsync();

        waited.ShouldBe(TimeSpan.FromSeconds(2));
        h.State.ShouldBe(BackendState.Ready);
        h.Time.GetUtcNow().ShouldBe(Harness.Start + TimeSpan.FromSeconds(4));
        h.Storage.Count("setup").ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_ProbeSaysReadyButInitKeepsFailing_FollowsBackoffInsteadOfHammering()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 0, ReinitBackoffInitial = TimeSpan.FromSeconds(10) });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("transient"));
        await h.StartAsync();

        // t=0 fails; the first probe (t=2) says ready and may try at once; that attempt fails although the
        // probe vouched for it, so the next ones wait for the backoff: t=2+[16,24], then at least 32 s later.
        while (h.Host.Parks.Until <= Harness.Start + TimeSpan.FromSeconds(45))
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.Storage.Count("setup").ShouldBe(3);
        h.Storage.Count("probe").ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task RunAsync_ProbeDisabled_DoesNotProbe()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitProbeInterval = TimeSpan.Zero });
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("down")));
        await h.StartAsync();

        var waited = await h.AdvanceToNextWakeAsync();

        waited.TotalSeconds.ShouldBeInRange(8, 12);
        h.Storage.Count("probe").ShouldBe(0);
        h.State.ShouldBe(BackendState.Ready);
    }

    [Fact]
    public async Task RunAsync_ProbeThrows_CountsAsNotReady()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 1 });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        h.Storage.Probe = () => throw new IOException("probe broke");
        await h.StartAsync();

        for (var i = 0; i < 20; i++)
        {
            await h.AdvanceToNextWakeAsync();
        }

        h.State.ShouldBe(BackendState.Failed);
        h.Storage.Count("setup").ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_ProbeThrowsUnrecoverable_AttemptsAndBecomesUnrecoverable()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitBackoffInitial = TimeSpan.FromSeconds(50) });
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("down")));
        await h.StartAsync();
        h.Storage.Probe = () => throw new DriverConfigurationException("control file broken");
        h.Storage.SetupDefault = Storage.Throw(new DriverConfigurationException("control file broken"));

        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Unrecoverable);
        h.Storage.Count("setup").ShouldBe(2);
        (h.Time.GetUtcNow() - Harness.Start).ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task RunAsync_InitHangs_TimesOutAsRecoverableAndCancelsTheDriver()
    {
        await using var h = new Harness(new LifecycleOptions { DriverInitTimeout = TimeSpan.FromSeconds(30) });
        var cancelled = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        h.Storage.SetupScript.Enqueue(async ct =>
        {
            await using var registration = ct.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var run = h.StartAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        h.State.ShouldBe(BackendState.Initializing);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await run;

        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ErrorClass.ShouldBe(nameof(DriverTimeoutException));
        h.Snapshot.ErrorMessage!.ShouldContain("driver_init_timeout");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await h.AdvanceUntilAsync(s => s.State == BackendState.Ready);
        h.State.ShouldBe(BackendState.Ready);
    }

    [Fact]
    public async Task RunAsync_DriverBlocksSynchronously_DoesNotBlockTheCaller()
    {
        await using var h = new Harness(new LifecycleOptions { DriverInitTimeout = TimeSpan.FromSeconds(5) });
        using var release = new ManualResetEventSlim();
        h.Storage.SetupScript.Enqueue(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return Task.CompletedTask;
        });

        var started = h.StartAsync();
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await started;

        h.State.ShouldBe(BackendState.Failed);
        release.Set();
    }

    [Fact]
    public async Task StopAsync_WhileDriverHangs_StopsPromptly()
    {
        var h = new Harness();
        h.Storage.SetupDefault = Storage.Hang();
        _ = h.StartAsync();
        await WaitForCallAsync(h.Storage, "setup");

        await h.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));

        h.State.ShouldBe(BackendState.Stopped);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_WhileReady_IsStopped()
    {
        await using var h = new Harness();
        await h.StartAsync();

        await h.StopAsync();

        h.State.ShouldBe(BackendState.Stopped);
        h.State.Heartbeats().ShouldBeFalse();
    }

    [Fact]
    public async Task RequestReinit_FromGaveUp_ResetsBudgetAndRecovers()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 1 });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);
        h.Snapshot.ReinitAttempts.ShouldBe(1);

        h.Storage.SetupDefault = _ => Task.CompletedTask;
        var result = await h.ReinitAsync();

        result.Accepted.ShouldBeTrue();
        result.StateAtRequest.ShouldBe(BackendState.GaveUp);
        h.State.ShouldBe(BackendState.Ready);
        h.Snapshot.ReinitAttempts.ShouldBe(0);
        h.Storage.Count("setup").ShouldBe(3);
    }

    [Fact]
    public async Task RequestReinit_FromGaveUpStillFailing_GetsAFreshBudget()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 2 });
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        await h.ReinitAsync();
        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ReinitAttempts.ShouldBe(0);
        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        h.Storage.Count("setup").ShouldBe(3 + 3);
    }

    [Fact]
    public async Task RequestReinit_FromUnrecoverableAfterFix_IsReady()
    {
        await using var h = new Harness();
        h.Storage.CreateError = new DriverConfigurationException("[fast] san_ip is missing");
        await h.StartAsync();
        h.State.ShouldBe(BackendState.Unrecoverable);
        h.Storage.Count("create").ShouldBe(1);

        h.Storage.CreateError = null;
        await h.ReinitAsync();

        h.State.ShouldBe(BackendState.Ready);
    }

    [Fact]
    public async Task RequestReinit_WhileInitializing_IsRefused()
    {
        await using var h = new Harness();
        h.Storage.SetupDefault = Storage.Hang();
        _ = h.StartAsync();
        await WaitForCallAsync(h.Storage, "setup");

        var result = h.Host.RequestReinit();

        result.Accepted.ShouldBeFalse();
        result.StateAtRequest.ShouldBe(BackendState.Initializing);
    }

    [Fact]
    public async Task RequestReinit_AfterStop_IsRefused()
    {
        await using var h = new Harness();
        await h.StartAsync();
        await h.StopAsync();

        h.Host.RequestReinit().Accepted.ShouldBeFalse();
    }

    [Fact]
    public async Task RequestReinit_FromReady_ReplacesTheDriver()
    {
        await using var h = new Harness();
        await h.StartAsync();
        var first = h.Host.Driver;

        await h.ReinitAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Host.Driver.ShouldNotBeSameAs(first);
    }

    [Fact]
    public async Task RunAsync_Transitions_LoggedOnceEach()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 1 });
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();
        await h.AdvanceUntilAsync(s => s.State == BackendState.GaveUp);

        var transitions = h.Logger.Entries.Where(e => e.EventId is 1 or 8 or 9 or 10).Select(e => e.Message).ToList();

        transitions.Count.ShouldBe(3);
        transitions[0].ShouldContain("initializing -> failed");
        transitions[0].ShouldContain("DriverException: down");
        transitions[0].ShouldContain("re-initialization 1 of 1 next at 2026-01-01T00:00:");
        transitions[1].ShouldContain("failed -> initializing");
        transitions[2].ShouldContain("initializing -> gave_up");
        transitions[2].ShouldContain("re-initializations used 1 of 1");
    }

    [Fact]
    public async Task Changed_EveryTransition_ReportsPreviousAndNext()
    {
        await using var h = new Harness();
        var seen = new List<(BackendState From, BackendState To)>();
        h.Host.Changed += (previous, next) =>
        {
            if (previous.State != next.State)
            {
                seen.Add((previous.State, next.State));
            }
        };
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("down")));
        await h.StartAsync();
        await h.AdvanceToNextWakeAsync();
        await h.StopAsync();

        seen.ShouldBe([
            (BackendState.Initializing, BackendState.Failed),
            (BackendState.Failed, BackendState.Initializing),
            (BackendState.Initializing, BackendState.Ready),
            (BackendState.Ready, BackendState.Stopped),
        ]);
    }

    [Fact]
    public async Task Snapshot_Since_IsTheTimeOfTheLastTransition()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("down")));
        await h.StartAsync();
        h.Snapshot.Since.ShouldBe(Harness.Start);

        var waited = await h.AdvanceToNextWakeAsync();

        h.Snapshot.Since.ShouldBe(Harness.Start + waited);
    }

    private static async Task WaitForCallAsync(Storage storage, string call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (storage.Count(call) == 0)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
