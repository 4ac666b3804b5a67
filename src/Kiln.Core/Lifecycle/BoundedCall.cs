using Kiln.Core.Errors;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// Runs a driver call off the loop's thread with a deadline. A call that overruns is cancelled and
/// abandoned, so a hung driver never blocks the loop, other backends, or shutdown.
/// </summary>
internal static class BoundedCall
{
    public static async Task<T> RunAsync<T>(
        string operation,
        Func<CancellationToken, Task<T>> call,
        TimeSpan timeout,
        TimeProvider timeProvider,
        Action<Exception> onAbandonedFailure,
        CancellationToken stoppingToken)
    {
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);

        // Task.Run: a driver that blocks synchronously must not block the caller's thread either.
        var task = Task.Run(() => call(callCts.Token), CancellationToken.None);
        try
        {
            return await task.WaitAsync(timeout, timeProvider, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            await callCts.CancelAsync().ConfigureAwait(false);
            Observe(task, onAbandonedFailure);
            throw new DriverTimeoutException(operation, timeout);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && !task.IsCompleted)
        {
            await callCts.CancelAsync().ConfigureAwait(false);
            Observe(task, onAbandonedFailure);
            throw;
        }
    }

    private static void Observe(Task task, Action<Exception> onAbandonedFailure) =>
        _ = task.ContinueWith(
            t => onAbandonedFailure(t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
