using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>Log events of the upstream Cinder driver host (EventIds 2400–2499; the zygote 2800–2849).</summary>
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

    [LoggerMessage(2800, LogLevel.Information, "Driver host zygote {Pid} started ({Python}); it imports Cinder once for every upstream driver backend of this process")]
    public static partial void ZygoteStarted(ILogger logger, int pid, string python);

    [LoggerMessage(2801, LogLevel.Information, "Driver host zygote {Pid} ready: Cinder imported in {Seconds} s ({CpuSeconds} s of CPU)")]
    public static partial void ZygoteReady(ILogger logger, int pid, double seconds, double cpuSeconds);

    [LoggerMessage(2802, LogLevel.Warning, "Driver host zygote {Pid} exited with code {ExitCode}; the next attempt starts a new one")]
    public static partial void ZygoteExited(ILogger logger, int pid, int exitCode);

    /// <summary>A line the zygote logged on its stderr (its own, not a driver's: drivers run in the hosts it forks).</summary>
    [LoggerMessage(EventId = 2803, Message = "Driver host zygote [{Pid}] {Line}")]
    public static partial void ZygoteLine(ILogger logger, LogLevel level, int pid, string line);

    [LoggerMessage(2804, LogLevel.Warning, "Driver host zygote {Pid} killed: {Reason}")]
    public static partial void ZygoteKilled(ILogger logger, int pid, string reason);

    [LoggerMessage(2805, LogLevel.Information, "Backend {Backend}: driver host process {Pid} ended; its exit code is unknown (the zygote that forked it has exited)")]
    public static partial void HostEndedUnknown(ILogger logger, string backend, int pid);
}
