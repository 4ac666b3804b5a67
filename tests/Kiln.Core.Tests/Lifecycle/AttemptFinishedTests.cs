using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>The outcome of every initialization attempt, as metrics count it.</summary>
public sealed class AttemptFinishedTests
{
    [Theory]
    [InlineData("ok", InitOutcome.Success)]
    [InlineData("transient", InitOutcome.Recoverable)]
    [InlineData("timeout-like", InitOutcome.Recoverable)]
    [InlineData("config", InitOutcome.Unrecoverable)]
    [InlineData("unsupported", InitOutcome.Unrecoverable)]
    [InlineData("dependency", InitOutcome.Unrecoverable)]
    [InlineData("wrapped-config", InitOutcome.Unrecoverable)]
    public async Task AttemptFinished_FirstAttempt_ReportsTheOutcome(string error, InitOutcome expected)
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        if (error != "ok")
        {
            h.Storage.SetupDefault = Storage.Throw(error switch
            {
                "transient" => new DriverException("array busy"),
                // A driver's own timeout is an ordinary recoverable error; only driver_init_timeout is a timeout.
                "timeout-like" => new TimeoutException("login timed out"),
                "config" => new DriverConfigurationException("[fast] san_ip missing"),
                "unsupported" => new DriverNotSupportedException("firmware too old"),
                "dependency" => new DriverDependencyException("qemu-img not found"),
                _ => new DriverException("setup failed", new DriverConfigurationException("[fast] bad pool")),
            });
        }

        var outcomes = Record(h);
        await h.StartAsync();

        outcomes.ShouldBe([expected]);
    }

    [Fact]
    public async Task AttemptFinished_InitHangsPastTheTimeout_ReportsTimeout()
    {
        await using var h = new Harness(new LifecycleOptions { DriverInitTimeout = TimeSpan.FromSeconds(30) });
        var started = new TaskCompletionSource();
        h.Storage.SetupScript.Enqueue(async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var outcomes = Record(h);
        var run = h.StartAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await run;

        outcomes.ShouldBe([InitOutcome.Timeout]);
    }

    [Fact]
    public async Task AttemptFinished_FailuresThenRecovery_ReportsEachAttemptBeforeItsStateChange()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("booting")));
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("booting")));
        var seen = new List<string>();
        h.Host.AttemptFinished += outcome => seen.Add($"{outcome.ToWireName()} in {h.Host.Snapshot.State.ToWireName()}");
        await h.StartAsync();

        await h.AdvanceUntilAsync(s => s.State == BackendState.Ready);

        seen.ShouldBe(["recoverable in initializing", "recoverable in initializing", "success in initializing"]);
    }

    [Fact]
    public async Task AttemptFinished_StatsFailuresOfAReadyBackend_AreNotAttempts()
    {
        await using var h = new Harness(new LifecycleOptions { StatsFailureThreshold = 1 });
        h.Storage.Probe = null;
        var outcomes = Record(h);
        await h.StartAsync();

        h.Storage.Stats = Storage.Throw(new DriverException("stats timed out"));
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Failed);
        outcomes.ShouldBe([InitOutcome.Success]);
    }

    [Theory]
    [InlineData(InitOutcome.Success, "success")]
    [InlineData(InitOutcome.Recoverable, "recoverable")]
    [InlineData(InitOutcome.Unrecoverable, "unrecoverable")]
    [InlineData(InitOutcome.Timeout, "timeout")]
    public void ToWireName_EachOutcome_IsTheMetricLabel(InitOutcome outcome, string expected) =>
        outcome.ToWireName().ShouldBe(expected);

    private static List<InitOutcome> Record(Harness h)
    {
        var outcomes = new List<InitOutcome>();
        h.Host.AttemptFinished += outcomes.Add;
        return outcomes;
    }
}
