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
        CancellationToken stoppingToken,
        string limitName = "driver_init_timeout",
        Action<T>? onAbandonedResult = null)
    {
        // The deadline's timer exists before the driver runs, so a fake clock advanced as soon as the
        // driver is entered always reaches it.
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);

        // Task.Run: a driver that blocks synchronously must not block the caller's thread either.
        var task = Task.Run(() => call(callCts.Token), CancellationToken.None);
        try
        {
            return await task.WaitAsync(callCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Observe(task, onAbandonedFailure, onAbandonedResult);
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Observe(task, onAbandonedFailure, onAbandonedResult);
            throw new DriverTimeoutException(operation, timeout, limitName);
        }
    }

    private static void Observe<T>(Task<T> task, Action<Exception> onAbandonedFailure, Action<T>? onAbandonedResult) =>
        _ = task.ContinueWith(
            t =>
            {
                // A call that ignored cancellation and succeeded after all: its result is nobody's, so
                // the caller decides what to do with it (an initialized driver must still be disposed).
                if (t.IsCompletedSuccessfully)
                {
                    onAbandonedResult?.Invoke(t.Result);
                    return;
                }

                // Cancellation is what we asked for; anything else the operator should see.
                if (t.Exception?.GetBaseException() is { } error and not OperationCanceledException)
                {
                    onAbandonedFailure(error);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
