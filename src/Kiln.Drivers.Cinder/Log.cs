using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>Log events of the upstream Cinder driver host (EventIds 2400–2499).</summary>
internal static partial class Log
{
    [LoggerMessage(2400, LogLevel.Information, "Backend {Backend}: driver host process {Pid} started for {VolumeDriver}")]
    public static partial void HostStarted(ILogger logger, string backend, int pid, string volumeDriver);

    /// <summary>One line the driver logged on the host's stderr, at the level it logged it.</summary>
    [LoggerMessage(EventId = 2401, Message = "Backend {Backend} driver [{Pid}] {Line}")]
    public static partial void DriverLine(ILogger logger, LogLevel level, string backend, int pid, string line);

    [LoggerMessage(2402, LogLevel.Warning, "Backend {Backend}: driver host process {Pid} killed: {Reason}")]
    public static partial void HostKilled(ILogger logger, string backend, int pid, string reason);

    [LoggerMessage(2403, LogLevel.Warning, "Backend {Backend}: driver host process {Pid} exited with code {ExitCode}")]
    public static partial void HostExited(ILogger logger, string backend, int pid, int exitCode);

    [LoggerMessage(2404, LogLevel.Warning, "Backend {Backend}: driver host process {Pid} sent a line that is not a response and was ignored: {Line}")]
    public static partial void BadLine(ILogger logger, string backend, int pid, string line);

    [LoggerMessage(2405, LogLevel.Information, "Backend {Backend}: {VolumeDriver} {Version} loaded in driver host process {Pid}")]
    public static partial void DriverLoaded(ILogger logger, string backend, string volumeDriver, string version, int pid);
}
