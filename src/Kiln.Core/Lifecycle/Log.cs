using Microsoft.Extensions.Logging;

namespace Kiln.Core.Lifecycle;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Backend {Backend}: {OldState} -> {NewState}")]
    public static partial void Transition(ILogger logger, string backend, string oldState, string newState);

    [LoggerMessage(8, LogLevel.Warning,
        "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}; re-initialization {Attempt} of {Budget} next at {NextAttemptAt:O}")]
    public static partial void TransitionToFailed(
        ILogger logger, string backend, string oldState, string newState, string? errorClass, string? errorMessage,
        int attempt, string budget, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(9, LogLevel.Error,
        "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}; re-initializations used {Attempt} of {Budget}; waiting for an operator (os-services/reinit)")]
    public static partial void TransitionToStuck(
        ILogger logger, string backend, string oldState, string newState, string? errorClass, string? errorMessage, int attempt, string budget);

    [LoggerMessage(10, LogLevel.Warning, "Backend {Backend}: {OldState} -> {NewState}; {ErrorClass}: {ErrorMessage}")]
    public static partial void TransitionToDegraded(ILogger logger, string backend, string oldState, string newState, string? errorClass, string? errorMessage);

    [LoggerMessage(2, LogLevel.Warning, "Backend {Backend}: stats call failed ({Failures} of {Threshold} before failed): {ErrorClass}: {ErrorMessage}")]
    public static partial void StatsFailed(ILogger logger, string backend, int failures, int threshold, string errorClass, string errorMessage);

    [LoggerMessage(3, LogLevel.Debug, "Backend {Backend}: readiness probe says not ready: {Reason}")]
    public static partial void ProbeNotReady(ILogger logger, string backend, string? reason);

    [LoggerMessage(4, LogLevel.Information, "Backend {Backend}: readiness probe says ready; re-initializing now")]
    public static partial void ProbeReady(ILogger logger, string backend);

    [LoggerMessage(5, LogLevel.Information, "Backend {Backend}: manual re-initialization requested; budget reset")]
    public static partial void ManualReinit(ILogger logger, string backend);

    [LoggerMessage(6, LogLevel.Warning, "Backend {Backend}: an abandoned driver call failed after it was given up: {ErrorMessage}")]
    public static partial void AbandonedCallFailed(ILogger logger, string backend, string errorMessage);

    [LoggerMessage(7, LogLevel.Debug, "Backend {Backend}: disposing the previous driver instance failed: {ErrorMessage}")]
    public static partial void DisposeFailed(ILogger logger, string backend, string errorMessage);
}
