namespace Kiln.Server.Dashboard;

/// <summary>The dashboard's log lines (EventIds 2700–2749).</summary>
internal static partial class Log
{
    [LoggerMessage(2700, LogLevel.Information, "Dashboard: {User} (project {Project}) asked to re-initialize backend {Backend}: {Outcome}")]
    public static partial void ReinitRequested(ILogger logger, string user, string project, string backend, string outcome);

    [LoggerMessage(2701, LogLevel.Information, "Dashboard: {User} signed in (project {Project})")]
    public static partial void SignedIn(ILogger logger, string user, string project);

    [LoggerMessage(2702, LogLevel.Warning, "Dashboard: sign-in refused for user {User}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string user, string reason);

    [LoggerMessage(2703, LogLevel.Warning, "Dashboard: refused a request from {Address}: with auth_strategy = noauth it answers loopback callers only")]
    public static partial void RefusedRemote(ILogger logger, string address);

    [LoggerMessage(2704, LogLevel.Warning, "Dashboard: refused {User} (project {Project}): not an administrator")]
    public static partial void RefusedNotAdmin(ILogger logger, string user, string project);

    [LoggerMessage(2705, LogLevel.Warning, "Dashboard: a POST without a valid antiforgery token was refused")]
    public static partial void AntiforgeryRefused(ILogger logger, Exception exception);

    [LoggerMessage(2706, LogLevel.Warning, "Dashboard: sign-in failed: Keystone could not be reached")]
    public static partial void SignInUnavailable(ILogger logger, Exception exception);
}
