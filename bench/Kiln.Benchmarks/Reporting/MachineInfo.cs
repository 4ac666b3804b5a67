using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Kiln.Benchmarks.Reporting;

/// <summary>Where and when the figures were measured.</summary>
internal sealed record MachineInfo(
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("ram_gb")] double RamGb,
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("dotnet")] string DotNet,
    [property: JsonPropertyName("date_utc")] string DateUtc,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("load_average_at_start")] string LoadAverage)
{
    public static MachineInfo Read() => new(
        Environment.ProcessorCount,
        Math.Round(MemTotalKb() / 1024.0 / 1024.0, 1),
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        (FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription) + $" ({RuntimeInformation.OSDescription})",
        RuntimeInformation.FrameworkDescription,
        TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        Git("rev-parse --short HEAD") + (Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : ""),
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown");

    private static long MemTotalKb()
    {
        var value = FirstValue("/proc/meminfo", "MemTotal");
        return value is null ? 0 : long.Parse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    private static string Git(string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = Kiln.Benchmarks.BenchOptions.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(info)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
