using System.Diagnostics;

namespace Kiln.Benchmarks.Infrastructure;

/// <summary>Monotonic time for measurements and waits that go through <see cref="TimeProvider"/> (as in product code).</summary>
internal static class Clock
{
    public static long Now() => Stopwatch.GetTimestamp();

    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public static double MillisecondsBetween(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

    public static Task Pause(TimeSpan delay, CancellationToken cancellationToken = default) =>
        Task.Delay(delay, TimeProvider.System, cancellationToken);

    public static Task Pause(int milliseconds, CancellationToken cancellationToken = default) =>
        Pause(TimeSpan.FromMilliseconds(milliseconds), cancellationToken);

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until it holds; false at the deadline.</summary>
    public static async Task<bool> WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan interval)
    {
        var start = Now();
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Pause(interval);
        }

        return await condition();
    }
}
