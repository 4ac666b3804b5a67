namespace Kiln.Drivers.File.Tests;

/// <summary>Mounts filesystems for the mount-point tests (the suite runs as root).</summary>
internal static class Mounts
{
    public static Task MountTmpfsAsync(string directory, bool readOnly = false) =>
        Tool.RunAsync("mount", "-t", "tmpfs", "-o", readOnly ? "size=64m,ro" : "size=64m", "tmpfs", directory);

    /// <summary>An ext4 (or btrfs) image of <paramref name="sizeMb"/> MiB mounted through a loop device.</summary>
    public static async Task MountLoopAsync(string image, string directory, string fileSystem = "ext4", int sizeMb = 64)
    {
        await Tool.RunAsync("truncate", "-s", $"{sizeMb}M", image);
        await Tool.RunAsync($"mkfs.{fileSystem}", "-q", fileSystem == "ext4" ? "-F" : "-f", image);
        await Tool.RunAsync("mount", "-o", "loop", image, directory);
    }

    /// <summary>
    /// Unmounts every mount stacked on <paramref name="directory"/>; nothing mounted is fine. A fresh loop
    /// mount can be busy for a moment (udev probes the new device): then it is detached lazily, which
    /// takes it out of the directory tree at once and frees the device when the probe lets go.
    /// </summary>
    public static void UnmountQuietly(string directory)
    {
        while (StorageCheck.IsMountPoint(directory))
        {
            try
            {
                Tool.RunAsync("umount", [directory], CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                Tool.RunAsync("umount", ["-l", directory], CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }
}
