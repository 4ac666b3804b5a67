using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File;

internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Warning, "Backend {Backend}: removed {Path}, left half-written by an earlier run")]
    public static partial void PartFileRemoved(ILogger logger, string backend, string path);

    [LoggerMessage(1201, LogLevel.Information, "Backend {Backend}: flattened {Volume} so that snapshot {Snapshot} can be deleted")]
    public static partial void DependentFlattened(ILogger logger, string backend, string volume, string snapshot);

    [LoggerMessage(1202, LogLevel.Information, "Backend {Backend}: volumes in {Directory} ({Format} by default), qemu-img {QemuImg}")]
    public static partial void SetUp(ILogger logger, string backend, string directory, string format, string qemuImg);

    [LoggerMessage(1930, LogLevel.Warning, "Backend {Backend}: made {Count} volume files and directories in {Directory} readable by their owner only (nas_secure_file_permissions = true)")]
    public static partial void PermissionsTightened(ILogger logger, string backend, int count, string directory);

    [LoggerMessage(1931, LogLevel.Warning, "Backend {Backend}: could not make the files in {Directory} readable by their owner only (nas_secure_file_permissions = true); other local users may read them")]
    public static partial void PermissionsNotTightened(ILogger logger, string backend, string directory, Exception exception);

    [LoggerMessage(2100, LogLevel.Information, "Backend {Backend}: took a group snapshot of {Count} volumes as one set, every member's lock held")]
    public static partial void SnapshotSetTaken(ILogger logger, string backend, int count);
}
