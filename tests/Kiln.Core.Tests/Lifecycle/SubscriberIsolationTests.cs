using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>A throwing subscriber of the host's events is logged and never ends the loop.</summary>
public sealed class SubscriberIsolationTests
{
    [Fact]
    public async Task Changed_SubscriberThrows_LoopGoesOnAndLaterSubscribersStillRun()
    {
        await using var h = new Harness();
        var seen = new List<BackendState>();
        h.Host.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");
        h.Host.Changed += (_, next) => seen.Add(next.State);

        await h.StartAsync();

        h.State.ShouldBe(BackendState.Ready);
        seen.ShouldContain(BackendState.Ready);
        var line = h.Logger.Entries.First(e => e.EventId == 1800);
        line.Level.ShouldBe(LogLevel.Error);
        line.Message.ShouldContain("Changed subscriber");
        line.Message.ShouldContain(nameof(SubscriberIsolationTests));

        // Not stuck in stopped: an operator can still re-initialize it.
        (await h.ReinitAsync()).Accepted.ShouldBeTrue();
        h.State.ShouldBe(BackendState.Ready);
    }

    [Fact]
    public async Task AttemptFinished_SubscriberThrows_LoopGoesOnThroughFailureAndRecovery()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("booting")));
        var outcomes = new List<InitOutcome>();
        h.Host.AttemptFinished += _ => throw new InvalidOperationException("metrics bug");
        h.Host.AttemptFinished += outcomes.Add;

        await h.StartAsync();
        h.State.ShouldBe(BackendState.Failed);
        await h.AdvanceToNextWakeAsync();

        h.State.ShouldBe(BackendState.Ready);
        outcomes.ShouldBe([InitOutcome.Recoverable, InitOutcome.Success]);
        h.Logger.Entries.Count(e => e.EventId == 1800).ShouldBe(2);
    }
}
