using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// Writes one line per state change of a backend, except while it keeps failing with the same error:
/// then the failed -> initializing -> failed cycle would repeat a pair of lines per attempt for as long
/// as the storage stays away (with a short backoff cap or a flapping probe, every few seconds). From the
/// second identical failure in a row, those lines go to Debug and a "still failed" summary is written at
/// most once per <c>backend_stats_polling_interval</c>. Any other change is logged at once, in full.
/// Used only from the backend's loop, so it needs no lock.
/// </summary>
internal sealed class TransitionLog(ILogger logger, string host, TimeSpan summaryInterval)
{
    // The failure being repeated ("Class: message"), how many attempts in a row ended with it, and when
    // the last line above Debug about it was written.
    private string? repeatedError;
    private int failuresInARow;
    private DateTimeOffset firstFailedAt;
    private DateTimeOffset lastLineAt;

    /// <summary>Whether the backend is failing again and again with the same error (its routine lines are at Debug).</summary>
    public bool Repeating => failuresInARow >= 2;

    /// <summary>Forgets the repeated failure: after a manual re-initialization the next failure is news again.</summary>
    public void Reset()
    {
        repeatedError = null;
        failuresInARow = 0;
    }

    public void Write(BackendSnapshot previous, BackendSnapshot next, DateTimeOffset now)
    {
        var from = previous.State.ToWireName();
        var to = next.State.ToWireName();
        var budget = next.ReinitBudget == 0 ? "unlimited" : next.ReinitBudget.ToString(CultureInfo.InvariantCulture);
        var attempt = ReinitPolicy.Increment(next.ReinitAttempts);
        var nextAttemptAt = next.NextAttemptAt?.ToString("O", CultureInfo.InvariantCulture);
        switch (next.State)
        {
            case BackendState.Failed when previous.State == BackendState.Initializing && repeatedError is not null && next.ErrorText == repeatedError:
                failuresInARow = ReinitPolicy.Increment(failuresInARow);
                if (now - lastLineAt >= summaryInterval)
                {
                    lastLineAt = now;
                    Log.StillFailed(logger, host, failuresInARow, firstFailedAt.ToString("O", CultureInfo.InvariantCulture), next.ErrorClass, next.ErrorMessage, attempt, budget, nextAttemptAt);
                }
                else
                {
                    Log.TransitionToFailed(logger, LogLevel.Debug, host, from, to, next.ErrorClass, next.ErrorMessage, attempt, budget, nextAttemptAt);
                }

                break;
            case BackendState.Failed:
                repeatedError = next.ErrorText;
                failuresInARow = 1;
                firstFailedAt = now;
                lastLineAt = now;
                Log.TransitionToFailed(logger, LogLevel.Warning, host, from, to, next.ErrorClass, next.ErrorMessage, attempt, budget, nextAttemptAt);
                break;
            case BackendState.Initializing:
                // The retry of a repeated failure is routine; the first retry, and any other start, is not.
                var routine = previous.State == BackendState.Failed && Repeating;
                Log.Transition(logger, routine ? LogLevel.Debug : LogLevel.Information, host, from, to);
                break;
            case BackendState.GaveUp or BackendState.Unrecoverable:
                Reset();
                Log.TransitionToStuck(logger, host, from, to, next.ErrorClass, next.ErrorMessage, next.ReinitAttempts, budget);
                break;
            case BackendState.Degraded:
                Reset();
                Log.TransitionToDegraded(logger, host, from, to, next.ErrorClass, next.ErrorMessage);
                break;
            default:
                Reset();
                Log.Transition(logger, LogLevel.Information, host, from, to);
                break;
        }
    }
}
