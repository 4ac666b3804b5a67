using Microsoft.Extensions.Logging;

namespace Kiln.Core.Volumes;

/// <summary>
/// Commits the status an operation ended in once its driver call has answered. The driver's result is
/// known and cannot be taken back (the file is created, grown, deleted), so a write that fails (the
/// database's disk is full, the database is unreachable) is retried with backoff, the same outcome each
/// time, until it lands or the process stops. Before this, one failed write left the volume
/// <c>creating</c> / <c>extending</c> for good with no log line naming it. If the process stops first,
/// the backend's start-up clean-up reconciles the record with the driver.
/// </summary>
public sealed partial class FinalWrite(TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Wait before the first retry; doubled after each failure up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two attempts: a database that comes back is used within this.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="write"/> until it returns. An exception <paramref name="isAnswer"/> accepts is
    /// the write's answer, not a failure to write, and is thrown at once.
    /// </summary>
    public async Task<T> RunAsync<T>(
        string id, string outcome, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken, Func<Exception, bool>? isAnswer = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await write(cancellationToken).ConfigureAwait(false);
                if (attempt > 1)
                {
                    LogLanded(logger, id, outcome, attempt);
                }

                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogAbandoned(logger, id, outcome);
                throw;
            }
            catch (ObjectDisposedException ex)
            {
                // The database is being shut down with the process: the clean-up at next start reconciles.
                LogAbandoned(logger, id, outcome);
                throw new OperationCanceledException($"{id}: the final write ({outcome}) was abandoned at shutdown", ex);
            }
            catch (Exception ex) when (isAnswer?.Invoke(ex) != true)
            {
                var delay = Delay(attempt);
                LogRetrying(logger, id, outcome, attempt, delay.TotalSeconds, ex);
                try
                {
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogAbandoned(logger, id, outcome);
                    throw;
                }
            }
        }
    }

    /// <summary>Wait after failed attempt <paramref name="attempt"/> (1-based); never overflows.</summary>
    public static TimeSpan Delay(int attempt)
    {
        // 2^7 × 250 ms already passes 30 s; larger exponents would only overflow.
        var exponent = Math.Clamp(attempt - 1, 0, 16);
        var ticks = FirstDelay.Ticks * (1L << exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks(ticks);
    }

    [LoggerMessage(1900, LogLevel.Error, "{Id}: the driver finished but recording \"{Outcome}\" failed (attempt {Attempt}); retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, string id, string outcome, int attempt, double delaySeconds, Exception exception);

    [LoggerMessage(1901, LogLevel.Information, "{Id}: recorded \"{Outcome}\" after {Attempts} attempts")]
    private static partial void LogLanded(ILogger logger, string id, string outcome, int attempts);

    [LoggerMessage(1902, LogLevel.Warning, "{Id}: stopping before \"{Outcome}\" could be recorded; the backend's start-up clean-up reconciles it")]
    private static partial void LogAbandoned(ILogger logger, string id, string outcome);
}
