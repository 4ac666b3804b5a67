using Kiln.Core.Lifecycle;
using Kiln.Core.Tests.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>
/// Runs one <see cref="BackendHost"/> on a fake clock. Every step waits until the loop has parked
/// again, so tests advance time deterministically and never sleep.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource stopping = new();
    private Task? run;
    private long seenParks;

    public Harness(LifecycleOptions? options = null, int seed = 42, Func<BackendDefinition>? readDefinition = null)
    {
        Options = options ?? new LifecycleOptions();
        Host = new BackendHost("node@test", "test", Options, Storage.Create, Cleaner, Time, new Random(seed), Logger, readDefinition);
    }

    public static DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public Storage Storage { get; } = new();

    public ScriptedCleaner Cleaner { get; } = new();

    public ListLogger Logger { get; } = new();

    public LifecycleOptions Options { get; }

    public BackendHost Host { get; }

    public BackendSnapshot Snapshot => Host.Snapshot;

    public BackendState State => Host.Snapshot.State;

    public async Task StartAsync()
    {
        run = Host.RunAsync(stopping.Token);
        await NextParkAsync();
    }

    /// <summary>Waits until the loop parks again after what the test just did.</summary>
    public async Task NextParkAsync()
    {
        var started = Environment.TickCount64;
        while (true)
        {
            using var poll = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                await Host.Parks.WaitForParkAfterAsync(seenParks, poll.Token);
                break;
            }
            catch (OperationCanceledException) when (Environment.TickCount64 - started >= Deadline.TotalMilliseconds)
            {
                throw new TimeoutException(
                    $"the loop did not park again: state {State}, parks {Host.Parks.Count} (seen {seenParks}), until {Host.Parks.Until:O}, now {Time.GetUtcNow():O}, calls {string.Join(",", Storage.Calls)}");
            }
            catch (OperationCanceledException)
            {
                // FakeTimeProvider skips firing timers when Advance races with another thread that is
                // registering a timer (its wake-up gate is taken); advancing by zero fires what is due.
                Time.Advance(TimeSpan.Zero);
            }
        }

        seenParks = Host.Parks.Count;
    }

    /// <summary>Moves the clock to the loop's next wake-up and waits for it to settle.</summary>
    public async Task<TimeSpan> AdvanceToNextWakeAsync()
    {
        var until = Host.Parks.Until ?? throw new InvalidOperationException($"the loop waits for no time (state {State})");
        var step = until - Time.GetUtcNow();
        Time.Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
        await NextParkAsync();
        return step;
    }

    /// <summary>Advances the clock; waits for the loop when that reaches its wake-up time.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var until = Host.Parks.Until;
        Time.Advance(by);
        if (until is { } due && due <= Time.GetUtcNow())
        {
            await NextParkAsync();
        }
    }

    /// <summary>Advances to each wake-up until <paramref name="condition"/> holds or the steps run out.</summary>
    public async Task AdvanceUntilAsync(Func<BackendSnapshot, bool> condition, int maxSteps = 1000)
    {
        for (var i = 0; i < maxSteps && !condition(Snapshot); i++)
        {
            await AdvanceToNextWakeAsync();
        }
    }

    public async Task<ReinitRequestResult> ReinitAsync()
    {
        var result = Host.RequestReinit();
        if (result.Accepted)
        {
            await NextParkAsync();
        }

        return result;
    }

    /// <summary>Waits (in real time, bounded) until <paramref name="condition"/> holds; for work the loop does not park after.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        if (run is not null)
        {
            await run.WaitAsync(Deadline);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
    }
}
