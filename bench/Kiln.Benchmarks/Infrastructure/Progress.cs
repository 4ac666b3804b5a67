using System.Diagnostics;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>Progress lines on standard output, stamped with the time since the run began.</summary>
internal static class Progress
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static void Say(string message)
    {
        var elapsed = Stopwatch.GetElapsedTime(Started);
        Console.WriteLine(FormattableString.Invariant($"[bench {(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00}] {message}"));
    }
}
