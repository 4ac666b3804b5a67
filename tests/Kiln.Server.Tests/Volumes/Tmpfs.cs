using System.Diagnostics;

namespace Kiln.Server.Tests.Volumes;

/// <summary>A small tmpfs mounted for one test (needs root); detached lazily on dispose so open files never block it.</summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static bool CanMount => Environment.IsPrivilegedProcess && OperatingSystem.IsLinux();

    public static Tmpfs Mount(string path, string size)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>Writes a file until the filesystem is full; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var chunk = new byte[16 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{command} {string.Join(' ', arguments)}: {error}");
    }
}
