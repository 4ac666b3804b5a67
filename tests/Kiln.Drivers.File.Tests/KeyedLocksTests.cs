namespace Kiln.Drivers.File.Tests;

public sealed class KeyedLocksTests
{
    private static string Key(string name) => $"/keyed-locks-tests/{Guid.NewGuid():N}/{name}";

    [Fact]
    public async Task AcquireAsync_SameKey_SecondWaitsUntilFirstReleases()
    {
        var key = Key("volume-a");
        var first = await KeyedLocks.AcquireAsync([key], TestContext.Current.CancellationToken);

        var second = KeyedLocks.AcquireAsync([key], TestContext.Current.CancellationToken);
        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Dispose();

        KeyedLocks.IsTracked(key).ShouldBeFalse("a released key leaves nothing behind");
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_LeavesNothingBehindAndHoldsNothing()
    {
        var (a, b) = (Key("snapshot-a"), Key("volume-b"));
        var holder = await KeyedLocks.AcquireAsync([b], TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var waiting = KeyedLocks.AcquireAsync([b, a], cancel.Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => waiting);
        KeyedLocks.IsTracked(a).ShouldBeFalse("the key taken before the wait was released");
        holder.Dispose();
        KeyedLocks.IsTracked(b).ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_OppositeOrders_NeverDeadlock()
    {
        var (a, b) = (Key("volume-a"), Key("volume-b"));

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var held = await KeyedLocks.AcquireAsync(i % 2 == 0 ? [a, b] : [b, a], TestContext.Current.CancellationToken);
            await Task.Yield();
        })).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }
}
