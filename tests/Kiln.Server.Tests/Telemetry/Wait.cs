using System.Diagnostics;

namespace Kiln.Server.Tests.Telemetry;

/// <summary>Awaits a condition with a real-time deadline, optionally moving the fake clock a step each time round.</summary>
internal static class Wait
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static async Task UntilAsync(Func<bool> condition, string what, Action? step = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Deadline, what);
            step?.Invoke();
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, Action? step = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Deadline, $"{what}; last: {value}");
            step?.Invoke();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
