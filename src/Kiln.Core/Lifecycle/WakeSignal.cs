namespace Kiln.Core.Lifecycle;

/// <summary>Lets another thread wake a loop that is waiting for a time; a wake before the wait is not lost.</summary>
internal sealed class WakeSignal
{
    private readonly Lock gate = new();
    private TaskCompletionSource source = NewSource();

    /// <summary>Wakes the current or next wait.</summary>
    public void Set()
    {
        lock (gate)
        {
            source.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until <paramref name="until"/> (forever when null) or a wake; true when woken.
    /// Consumes the wake so the next wait blocks again.
    /// <paramref name="onWaiting"/> runs once the wait's timer exists (tests use it to know the loop has parked).
    /// </summary>
    public async Task<bool> WaitAsync(DateTimeOffset? until, TimeProvider timeProvider, Action onWaiting, CancellationToken cancellationToken)
    {
        Task woken;
        lock (gate)
        {
            woken = source.Task;
        }

        if (woken.IsCompleted)
        {
            onWaiting();
        }
        else
        {
            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = until is { } deadline
                ? Task.Delay(Max(deadline - timeProvider.GetUtcNow(), TimeSpan.Zero), timeProvider, delayCts.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, delayCts.Token);
            onWaiting();
            var first = await Task.WhenAny(delay, woken).ConfigureAwait(false);
            await delayCts.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first != woken)
            {
                return false;
            }
        }

        lock (gate)
        {
            if (source.Task.IsCompleted)
            {
                source = NewSource();
            }
        }

        return true;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
