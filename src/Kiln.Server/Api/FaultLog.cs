namespace Kiln.Server.Api;

/// <summary>Log lines of the API's fault handling (EventIds 1600–1649).</summary>
internal static partial class FaultLog
{
    [LoggerMessage(1600, LogLevel.Error, "Unhandled error answering {Method} {Path} (request {RequestId}); answered 500 computeFault")]
    public static partial void Unhandled(ILogger logger, string method, string path, string requestId, Exception exception);

    [LoggerMessage(1601, LogLevel.Error, "Unhandled error answering {Method} {Path} (request {RequestId}) after the response had started; the connection is aborted")]
    public static partial void UnhandledAfterStart(ILogger logger, string method, string path, string requestId, Exception exception);

    [LoggerMessage(1602, LogLevel.Information, "Refused {Method} {Path} (request {RequestId}) with {Status}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, string requestId, int status, string reason);

    [LoggerMessage(1603, LogLevel.Warning, "Database disk full answering {Method} {Path} (request {RequestId}); answered 503 serviceUnavailable")]
    public static partial void DatabaseFull(ILogger logger, string method, string path, string requestId, Exception exception);

    [LoggerMessage(2501, LogLevel.Warning, "Database unavailable answering {Method} {Path} (request {RequestId}); answered 503 serviceUnavailable")]
    public static partial void DatabaseUnavailable(ILogger logger, string method, string path, string requestId, Exception exception);

    [LoggerMessage(2852, LogLevel.Warning, "Message service unavailable answering {Method} {Path} (request {RequestId}); the request was undone and answered 503 serviceUnavailable")]
    public static partial void MessagingUnavailable(ILogger logger, string method, string path, string requestId, Exception exception);
}
