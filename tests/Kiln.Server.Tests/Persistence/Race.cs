namespace Kiln.Server.Tests.Persistence;

/// <summary>Runs racers that start together, each on its own thread, for real parallel contention.</summary>
internal static class Race
{
    public static Task<T[]> RunAsync<T>(int racers, Func<int, Task<T>> racer)
    {
        // Dedicated threads: racers blocked at the barrier on pool threads would starve the pool
        // (which adds threads slowly) and the race would take seconds instead of milliseconds.
        var start = new Barrier(racers);
        var tasks = Enumerable.Range(0, racers).Select(i => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return racer(i);
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap());
        return WhenAllAsync(tasks.ToList(), start);
    }

    public static Task RunAsync(int racers, Func<int, Task> racer) =>
        RunAsync(racers, async i =>
        {
            await racer(i);
            return true;
        });

    private static async Task<T[]> WhenAllAsync<T>(List<Task<T>> tasks, Barrier start)
    {
        using (start)
        {
            return await Task.WhenAll(tasks);
        }
    }
}
