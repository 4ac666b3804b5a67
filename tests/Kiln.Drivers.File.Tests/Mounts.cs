namespace Kiln.Drivers.File.Tests;

/// <summary>Mounts filesystems for the mount-point tests (the suite runs as root).</summary>
internal static class Mounts
{
    public static Task MountTmpfsAsync(string directory, bool readOnly = false) =>
        Tool.RunAsync("mount", "-t", "tmpfs", "-o", readOnly ? "size=64m,ro" : "size=64m", "tmpfs", directory);

    /// <summary>A 64 MiB ext4 image mounted through a loop device.</summary>
    public static async Task MountLoopAsync(string image, string directory)
    {
        await Tool.RunAsync("truncate", "-s", "64M", image);
        await Tool.RunAsync("mkfs.ext4", "-q", "-F", image);
        await Tool.RunAsync("mount", "-o", "loop", image, directory);
    }

    /// <summary>Unmounts every mount stacked on <paramref name="directory"/>; nothing mounted is fine.</summary>
    public static void UnmountQuietly(string directory)
    {
        for (var i = 0; i < 4 && StorageCheck.IsMountPoint(directory); i++)
        {
            try
            {
                Tool.RunAsync("umount", directory).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                return;
            }
        }
    }
}
