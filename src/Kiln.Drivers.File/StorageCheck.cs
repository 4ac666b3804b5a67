using Kiln.Drivers.File.Native;

namespace Kiln.Drivers.File;

/// <summary>
/// Whether the volumes directory can be used now: it exists, is a mount point when
/// <c>file_require_mountpoint</c> asks for one, and is writable. Cheap (a few system calls, no tools run),
/// so the readiness probe uses it as well as setup.
/// </summary>
internal static class StorageCheck
{
    /// <summary>Null when usable, otherwise why not, naming the option and the directory.</summary>
    public static string? WhyNotUsable(FileOptions options)
    {
        var directory = options.Directory;
        if (!System.IO.Directory.Exists(directory))
        {
            return $"{FileOptions.VolumesDir} {directory} does not exist";
        }

        if (options.RequireMountpointValue && !IsMountPoint(directory))
        {
            return $"{FileOptions.VolumesDir} {directory} is not a mount point ({FileOptions.RequireMountpoint} = true); waiting for its filesystem to be mounted";
        }

        return Access.WhyNotWritable(directory) is { } reason
            ? $"{FileOptions.VolumesDir} {directory} is not writable: {reason}"
            : null;
    }

    /// <summary>
    /// A mount point is the root of a mount (statx says so on Linux 5.8+) or sits on another device or
    /// mount than its parent; the latter covers older kernels, tmpfs and loop devices alike.
    /// </summary>
    public static bool IsMountPoint(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return true; // "/" is always mounted.
        }

        if (FileStatus.Of(full) is not { } self || FileStatus.Of(parent) is not { } above)
        {
            return false;
        }

        return self.IsMountRoot
            || self.Device != above.Device
            || (self.MountId != 0 && above.MountId != 0 && self.MountId != above.MountId);
    }
}
