namespace Kiln.Drivers.File.Tools;

/// <summary>Finds an executable the way a shell would, so a missing tool is reported before it is needed.</summary>
internal static class ToolLocator
{
    /// <summary>The full path of <paramref name="command"/>, or null when it is not an executable file.</summary>
    public static string? Find(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(command) ? Path.GetFullPath(command) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        System.IO.File.Exists(path)
        && !OperatingSystem.IsWindows()
        && (System.IO.File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
