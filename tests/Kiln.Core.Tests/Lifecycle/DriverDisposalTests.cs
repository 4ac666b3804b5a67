using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>Every driver instance is disposed once, after its last call: failed attempts', replaced ones', and at shutdown.</summary>
public sealed class DriverDisposalTests
{
    [Fact]
    public async Task RunAsync_FailedAttempt_ItsInstanceIsDisposedWhenTheNextAttemptSucceeds()
    {
        await using var h = new Harness();
        h.Storage.Probe = null;
        h.Storage.SetupScript.Enqueue(Storage.Throw(new DriverException("booting")));
        await h.StartAsync();

        await h.AdvanceToNextWakeAsync();
        await h.Host.Retirements;

        h.State.ShouldBe(BackendState.Ready);
        h.Storage.Instances.Count.ShouldBe(2);
        h.Storage.Instances[0].Disposals.ShouldBe(1);
        h.Storage.Instances[1].Disposals.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_FailedAttemptsInARow_EachSupersededInstanceIsDisposed()
    {
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 0 });
        h.Storage.Probe = null;
        h.Storage.SetupDefault = Storage.Throw(new DriverException("down"));
        await h.StartAsync();

        await h.AdvanceToNextWakeAsync();
        await h.AdvanceToNextWakeAsync();
        await h.Host.Retirements;

        h.Storage.Instances.Count.ShouldBe(3);
        h.Storage.Instances.Select(d => d.Disposals).ShouldBe([1, 1, 0]);
    }

    [Fact]
    public async Task RequestReinit_FromReady_OldDriverIsDisposedOnlyAfterItsLastLease()
    {
        await using var h = new Harness();
        await h.StartAsync();
        using var lease = h.Host.TryLeaseDriver();
        lease.ShouldNotBeNull();
        var old = h.Storage.Instances[0];
        lease.Driver.ShouldBeSameAs(old);

        await h.ReinitAsync();

        h.State.ShouldBe(BackendState.Ready);
        h.Host.Driver.ShouldNotBeSameAs(old);
        old.Disposals.ShouldBe(0);
        h.Logger.Entries.ShouldContain(e => e.EventId == 1802 && e.Message.Contains("1 call(s)", StringComparison.Ordinal));

        lease.Dispose();
        await h.Host.Retirements;

        old.Disposals.ShouldBe(1);
        h.Storage.Instances[1].Disposals.ShouldBe(0);
    }

    [Fact]
    public async Task RequestReinit_FromReady_LeaseNeverEnds_DisposedAfterTheLongestCallAnyway()
    {
        await using var h = new Harness(new LifecycleOptions { DriverOperationTimeout = TimeSpan.FromSeconds(30), DriverStatsTimeout = TimeSpan.FromSeconds(5), DriverInitTimeout = TimeSpan.FromSeconds(10) });
        await h.StartAsync();
        var lease = h.Host.TryLeaseDriver()!;
        await h.ReinitAsync();
        var old = h.Storage.Instances[0];

        h.Time.Advance(TimeSpan.FromSeconds(29));
        old.Disposals.ShouldBe(0);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Host.Retirements;

        old.Disposals.ShouldBe(1);
        h.Logger.Entries.ShouldContain(e => e.EventId == 1803);
        lease.Dispose();
        old.Disposals.ShouldBe(1);
    }

    [Fact]
    public async Task TryLeaseDriver_AfterTheDriverWasReplaced_NeverHandsOutTheOldOne()
    {
        await using var h = new Harness();
        await h.StartAsync();
        await h.ReinitAsync();
        await h.Host.Retirements;

        using var lease = h.Host.TryLeaseDriver();

        lease!.Driver.ShouldBeSameAs(h.Storage.Instances[1]);
    }

    [Fact]
    public async Task TryLeaseDriver_NotSchedulable_IsNull()
    {
        await using var h = new Harness();
        h.Storage.SetupDefault = Storage.Throw(new DriverNotSupportedException("no"));
        await h.StartAsync();

        h.Host.TryLeaseDriver().ShouldBeNull();
    }

    [Fact]
    public async Task StopAsync_DisposesTheRunningDriver()
    {
        await using var h = new Harness();
        await h.StartAsync();

        await h.StopAsync();
        await h.Host.Retirements;

        h.Storage.Instances.Single().Disposals.ShouldBe(1);
    }

    [Fact]
    public async Task DisposeThrows_IsLoggedAndTheLoopGoesOn()
    {
        await using var h = new Harness();
        h.Storage.Dispose = () => throw new IOException("session already gone");
        await h.StartAsync();

        await h.ReinitAsync();
        await h.Host.Retirements;

        h.State.ShouldBe(BackendState.Ready);
        h.Logger.Entries.ShouldContain(e => e.EventId == 1804);
    }
}
