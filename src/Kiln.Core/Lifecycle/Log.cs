using Microsoft.Extensions.Logging;

namespace Kiln.Core.Lifecycle;

// Times are passed as ISO 8601 text: structured sinks (the JSON console) would otherwise write a
// DateTimeOffset in the invariant culture's "MM/dd/yyyy" form.
internal static partial class Log
{
    // Transitions take their level: a repeated failure's routine lines are demoted to Debug (TransitionLog).
    [LoggerMessage(EventId = 1, Message = "Backend {Backend}: {OldState} -> {NewState}")]
    public static partial void Transition(ILogger logger, LogLevel level, string backend, string oldState, string newState);

    [LoggerMessage(EventId = 8,
        Message = "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}; re-initialization {Attempt} of {Budget} next at {NextAttemptAt}")]
    public static partial void TransitionToFailed(
        ILogger logger, LogLevel level, string backend, string oldState, string newState, string? errorClass, string? errorMessage,
        int attempt, string budget, string? nextAttemptAt);

    [LoggerMessage(9, LogLevel.Error,
        "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}; re-initializations used {Attempt} of {Budget}; waiting for an operator (os-services/reinit)")]
    public static partial void TransitionToStuck(
        ILogger logger, string backend, string oldState, string newState, string? errorClass, string? errorMessage, int attempt, string budget);

    [LoggerMessage(10, LogLevel.Warning, "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}")]
    public static partial void TransitionToDegraded(ILogger logger, string backend, string oldState, string newState, string? errorClass, string? errorMessage);

    [LoggerMessage(11, LogLevel.Warning,
        "Backend {Backend}: still failed after {Failures} attempts in a row with the same error since {FirstFailedAt}; {ErrorClass}: {ErrorMessage}; re-initialization {Attempt} of {Budget} next at {NextAttemptAt}")]
    public static partial void StillFailed(
        ILogger logger, string backend, int failures, string firstFailedAt, string? errorClass, string? errorMessage,
        int attempt, string budget, string? nextAttemptAt);

    [LoggerMessage(2, LogLevel.Warning, "Backend {Backend}: stats call failed ({Failures} of {Threshold} before failed): {ErrorClass}: {ErrorMessage}")]
    public static partial void StatsFailed(ILogger logger, string backend, int failures, int threshold, string errorClass, string errorMessage);

    [LoggerMessage(3, LogLevel.Debug, "Backend {Backend}: readiness probe says not ready: {Reason}")]
    public static partial void ProbeNotReady(ILogger logger, string backend, string? reason);

    [LoggerMessage(EventId = 4, Message = "Backend {Backend}: readiness probe says ready; re-initializing now")]
    public static partial void ProbeReady(ILogger logger, LogLevel level, string backend);

    [LoggerMessage(5, LogLevel.Information, "Backend {Backend}: manual re-initialization requested; budget reset")]
    public static partial void ManualReinit(ILogger logger, string backend);

    [LoggerMessage(6, LogLevel.Warning, "Backend {Backend}: an abandoned driver call failed after it was given up: {ErrorMessage}")]
    public static partial void AbandonedCallFailed(ILogger logger, string backend, string errorMessage);

    [LoggerMessage(1800, LogLevel.Error, "Backend {Backend}: a {Event} subscriber ({Subscriber}) threw; the lifecycle goes on")]
    public static partial void SubscriberFailed(ILogger logger, string backend, string @event, string subscriber, Exception exception);

    [LoggerMessage(1801, LogLevel.Information, "Backend {Backend}: stats call abandoned for the manual re-initialization")]
    public static partial void StatsAbandonedForReinit(ILogger logger, string backend);

    [LoggerMessage(1802, LogLevel.Information, "Backend {Backend}: waiting up to {Bound} for {Leases} call(s) still using the replaced driver before disposing it")]
    public static partial void Draining(ILogger logger, string backend, int leases, TimeSpan bound);

    [LoggerMessage(1803, LogLevel.Warning, "Backend {Backend}: {Leases} call(s) still used the replaced driver after {Bound}; disposing it anyway")]
    public static partial void DrainTimedOut(ILogger logger, string backend, int leases, TimeSpan bound);

    [LoggerMessage(1804, LogLevel.Warning, "Backend {Backend}: disposing a driver instance failed")]
    public static partial void DisposeFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(1805, LogLevel.Debug, "Backend {Backend}: driver instance disposed")]
    public static partial void Disposed(ILogger logger, string backend);

    [LoggerMessage(1806, LogLevel.Error, "Backend {Backend}: reading the backend's configuration again failed; the attempt fails with it")]
    public static partial void RedefineFailed(ILogger logger, string backend, Exception exception);
}
