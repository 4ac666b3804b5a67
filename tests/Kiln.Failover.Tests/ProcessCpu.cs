using System.Globalization;

namespace Kiln.Failover.Tests;

/// <summary>CPU time of a process and its descendants, from /proc (live processes only: a child that exited is not counted, nor is its reaped time unless waited for).</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux.

    public static double TreeSeconds(int root)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // The command may hold spaces and parentheses: the fields follow the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                // utime, stime, cutime, cstime: fields 14-17 of stat, 11-14 here; children's waited-for time counts.
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or UnauthorizedAccessException)
            {
                // The process ended while we read it.
            }
        }

        long total = 0;
        foreach (var (pid, own) in ticks)
        {
            for (var p = pid; p > 1 && parents.TryGetValue(p, out var parent); p = parent)
            {
                if (p == root)
                {
                    total += own;
                    break;
                }
            }
        }

        return total / TicksPerSecond;
    }
}
