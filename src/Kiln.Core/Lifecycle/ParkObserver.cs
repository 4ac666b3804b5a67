namespace Kiln.Core.Lifecycle;

/// <summary>
/// Records each time the loop parks (waits for time or a wake), so tests driving a fake clock can
/// wait until the loop has settled before advancing it again.
/// </summary>
internal sealed class ParkObserver
{
    private readonly Lock gate = new();
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times the loop has parked.</summary>
    public long Count { get; private set; }

    /// <summary>What the loop waits for in its latest park; null means a wake or forever.</summary>
    public DateTimeOffset? Until { get; private set; }

    public void Park(DateTimeOffset? until)
    {
        TaskCompletionSource completed;
        lock (gate)
        {
            Count++;
            Until = until;
            completed = next;
            next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        completed.TrySetResult();
    }

    /// <summary>Completes once the loop has parked more than <paramref name="count"/> times.</summary>
    public async Task WaitForParkAfterAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (Count > count)
                {
                    return;
                }

                wait = next.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
