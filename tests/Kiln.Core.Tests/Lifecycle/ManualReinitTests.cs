using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>Manual re-initialization: exactly one attempt, never behind a hung stats call, with the section read again, deferring queued work.</summary>
public sealed class ManualReinitTests
{
    [Fact]
    public async Task RequestReinit_BetweenTheLoopTakingARequestAndInitializing_IsRefused()
    {
        await using var h = new Harness();
        await h.StartAsync();
        ReinitRequestResult? second = null;

        // Event 5 ("manual re-initialization requested") is logged after the loop took the first request
        // and before the backend is initializing: the state then still reads ready.
        h.Logger.OnEvent = id =>
        {
            if (id == 5 && second is null)
            {
                second = h.Host.RequestReinit();
            }
        };
        await h.ReinitAsync();

        second.ShouldNotBeNull();
        second.Value.Accepted.ShouldBeFalse();
        second.Value.StateAtRequest.ShouldBe(BackendState.Initializing);
        h.State.ShouldBe(BackendState.Ready);
        h.Storage.Count("setup").ShouldBe(2);
    }

    [Fact]
    public async Task RequestReinit_WhileAStatsCallHangs_AbandonsItAndReinitializesAtOnce()
    {
        await using var h = new Harness(new LifecycleOptions { StatsPollingInterval = TimeSpan.FromSeconds(60), DriverStatsTimeout = TimeSpan.FromSeconds(60) });
        await h.StartAsync();
        h.Storage.Stats = Storage.Hang();
        h.Time.Advance(TimeSpan.FromSeconds(60));
        await Harness.EventuallyAsync(() => h.Storage.Count("stats") == 2);

        h.Storage.Stats = _ => Task.CompletedTask;
        var result = h.Host.RequestReinit();
        await h.NextParkAsync();

        result.Accepted.ShouldBeTrue();
        result.StateAtRequest.ShouldBe(BackendState.Ready);
        h.State.ShouldBe(BackendState.Ready);
        h.Storage.Count("setup").ShouldBe(2);
        h.Snapshot.ConsecutiveStatsFailures.ShouldBe(0);
        (h.Time.GetUtcNow() - Harness.Start).ShouldBe(TimeSpan.FromSeconds(60));
        h.Logger.Entries.ShouldContain(e => e.EventId == 1801);
    }

    [Fact]
    public async Task RunAsync_StatsHang_FailAfterDriverStatsTimeoutNotDriverInitTimeout()
    {
        await using var h = new Harness(new LifecycleOptions
        {
            StatsPollingInterval = TimeSpan.FromSeconds(60),
            DriverStatsTimeout = TimeSpan.FromSeconds(10),
            DriverInitTimeout = TimeSpan.FromSeconds(300),
        });
        await h.StartAsync();
        h.Storage.Stats = Storage.Hang();
        h.Time.Advance(TimeSpan.FromSeconds(60));
        await Harness.EventuallyAsync(() => h.Storage.Count("stats") == 2);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.NextParkAsync();

        h.State.ShouldBe(BackendState.Degraded);
        h.Snapshot.ErrorClass.ShouldBe(nameof(DriverTimeoutException));
        h.Snapshot.ErrorMessage!.ShouldContain("driver_stats_timeout");
    }

    [Fact]
    public async Task LeaseDriverAsync_WhileAHealthyBackendReinitializes_WaitsForTheNewDriver()
    {
        await using var h = new Harness();
        await h.StartAsync();
        var release = new TaskCompletionSource();
        h.Storage.SetupScript.Enqueue(_ => release.Task);
        h.Host.RequestReinit().Accepted.ShouldBeTrue();
        await Harness.EventuallyAsync(() => h.Storage.Count("setup") == 2);
        h.State.ShouldBe(BackendState.Initializing);

        var pending = h.Host.LeaseDriverAsync(CancellationToken.None);
        h.Host.TryLeaseDriver().ShouldBeNull();
        pending.IsCompleted.ShouldBeFalse();
        release.SetResult();
        await h.NextParkAsync();
        using var lease = await pending.WaitAsync(TimeSpan.FromSeconds(20));

        lease.ShouldNotBeNull();
        lease.Driver.ShouldBeSameAs(h.Storage.Instances[1]);
    }

    [Fact]
    public async Task LeaseDriverAsync_ReinitFails_ReturnsNullAtOnce()
    {
        await using var h = new Harness();
        await h.StartAsync();
        var release = new TaskCompletionSource();
        h.Storage.SetupScript.Enqueue(async _ =>
        {
            await release.Task;
            throw new DriverConfigurationException("[test] san_ip missing");
        });
        h.Host.RequestReinit();
        await Harness.EventuallyAsync(() => h.Storage.Count("setup") == 2);

        var pending = h.Host.LeaseDriverAsync(CancellationToken.None);
        release.SetResult();
        await h.NextParkAsync();

        (await pending.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBeNull();
        h.State.ShouldBe(BackendState.Unrecoverable);
    }

    [Fact]
    public async Task RequestReinit_WithADefinitionReader_UsesTheSectionReadAgain()
    {
        var reads = 0;
        Harness? harness = null;
        await using var h = harness = new Harness(readDefinition: () =>
        {
            reads++;
            return new BackendDefinition(new LifecycleOptions { ReinitDriverCount = 7 }, harness!.Storage.Create);
        });
        h.Storage.CreateError = new DriverConfigurationException("[test] volume_driver = 'nope' is invalid");
        await h.StartAsync();
        h.State.ShouldBe(BackendState.Unrecoverable);

        h.Storage.CreateError = null;
        await h.ReinitAsync();

        reads.ShouldBe(1);
        h.State.ShouldBe(BackendState.Ready);
        h.Host.Options.ReinitDriverCount.ShouldBe(7);
        h.Snapshot.ReinitBudget.ShouldBe(7);
    }

    [Fact]
    public async Task RequestReinit_DefinitionCannotBeRead_TheAttemptFailsWithItAsAConfigurationError()
    {
        await using var h = new Harness(readDefinition: () => throw new InvalidOperationException("kiln.conf:3: syntax error"));
        await h.StartAsync();

        await h.ReinitAsync();

        h.State.ShouldBe(BackendState.Unrecoverable);
        h.Snapshot.ErrorClass.ShouldBe(nameof(DriverConfigurationException));
        h.Snapshot.ErrorMessage!.ShouldContain("kiln.conf:3: syntax error");
        h.Host.TryLeaseDriver().ShouldBeNull();
    }

    [Fact]
    public async Task RequestRedefinition_WhileInitializing_IsQueuedBehindTheAttempt()
    {
        await using var h = new Harness();
        var release = new TaskCompletionSource();
        h.Storage.SetupScript.Enqueue(_ => release.Task);
        var run = h.StartAsync();
        await Harness.EventuallyAsync(() => h.Storage.Count("setup") == 1);

        h.Host.RequestReinit().Accepted.ShouldBeFalse();
        var result = h.Host.RequestRedefinition();
        release.SetResult();
        await run;

        result.Accepted.ShouldBeTrue();
        h.Storage.Count("setup").ShouldBe(2);
        h.State.ShouldBe(BackendState.Ready);
    }

    // The decision for the first stats failure after an initialization: degraded without stats. The driver
    // is initialized, so operations on existing volumes run; the scheduler has no capacity to place on.
    [Fact]
    public async Task RunAsync_FirstStatsFailAfterInit_DegradedWithoutStatsButOperationsMayLeaseTheDriver()
    {
        await using var h = new Harness();
        h.Storage.Stats = Storage.Throw(new DriverException("no stats yet"));
        await h.StartAsync();

        h.State.ShouldBe(BackendState.Degraded);
        h.Snapshot.Stats.ShouldBeNull();
        using var lease = h.Host.TryLeaseDriver();
        lease.ShouldNotBeNull();
        await h.AdvanceUntilAsync(s => s.State != BackendState.Degraded);
        h.State.ShouldBe(BackendState.Failed);
        h.Snapshot.ConsecutiveStatsFailures.ShouldBe(3);
    }
}
