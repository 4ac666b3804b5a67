namespace Kiln.Server.Identity.Keystone;

/// <summary>Log lines of Keystone token validation (category Kiln.Keystone); EventIds 1500–1519 are reserved for it.</summary>
internal static partial class Log
{
    /// <summary>The logger category of this feature.</summary>
    public const string Category = "Kiln.Keystone";

    [LoggerMessage(1500, LogLevel.Information, "Keystone: obtained a service token for {User} in project {Project} from {Url}; it expires at {ExpiresAt:O}")]
    public static partial void ServiceTokenObtained(ILogger logger, string user, string project, Uri url, DateTimeOffset expiresAt);

    [LoggerMessage(1501, LogLevel.Information, "Keystone: renewed the service token ({Reason}); the new one expires at {ExpiresAt:O}")]
    public static partial void ServiceTokenRenewed(ILogger logger, string reason, DateTimeOffset expiresAt);

    [LoggerMessage(1502, LogLevel.Warning, "Keystone refused Kiln's service token (401) while validating a token; getting a new one and asking again")]
    public static partial void ServiceTokenRefused(ILogger logger);

    [LoggerMessage(1503, LogLevel.Error, "Keystone unavailable: {Reason}; requests with tokens not in the cache are answered 503 until it answers again")]
    public static partial void Unavailable(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(1504, LogLevel.Debug, "Keystone still unavailable ({Failures} failed calls): {Reason}")]
    public static partial void StillUnavailable(ILogger logger, int failures, string reason, Exception? exception);

    [LoggerMessage(1505, LogLevel.Information, "Keystone answers again after {Failures} failed calls since {Since:O}")]
    public static partial void Available(ILogger logger, int failures, DateTimeOffset since);

    [LoggerMessage(1506, LogLevel.Debug, "Token rejected: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(1507, LogLevel.Information, "Keystone: {Count} tokens rejected since {Since:O}")]
    public static partial void TokensRejected(ILogger logger, int count, DateTimeOffset since);
}
