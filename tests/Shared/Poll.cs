using System.Diagnostics;

namespace Kiln.Tests.Shared;

/// <summary>
/// Waits for a condition that another process or thread makes true (a server ready, a status
/// settled, a log line written), bounded by a deadline. Tests whose code under test takes a
/// <see cref="TimeProvider"/> advance a FakeTimeProvider instead; this is for what runs on real time
/// (processes, sockets, databases).
/// </summary>
/// <remarks>
/// The pause between two looks starts at 10 ms and doubles up to 100 ms: a condition that is true
/// almost at once (most of them) is seen within milliseconds instead of after a fixed 100–250 ms
/// pause, while a slow one (a broker starting in seconds) is not polled hundreds of times.
/// </remarks>
internal static class Poll
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Looks with <paramref name="probe"/> until <paramref name="done"/> holds for what it returned,
    /// and returns that; fails with <paramref name="failure"/> of the last look after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string> failure, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var pauses = new Pauses();
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            if (done(value))
            {
                return value;
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new ShouldAssertException(failure(value));
            }

            await pauses.NextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, Func{T, string}, CancellationToken)"/> for a condition with nothing to return.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure, CancellationToken cancellationToken = default) =>
        UntilAsync(condition, done => done, timeout, _ => failure, cancellationToken);

    /// <summary>Like <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, CancellationToken)"/> for a condition that needs no I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string failure, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failure, cancellationToken);

    /// <summary>
    /// The growing pauses of one wait, for loops that do more between two looks than
    /// <see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, Func{T, string}, CancellationToken)"/> allows.
    /// </summary>
    internal sealed class Pauses
    {
        private TimeSpan next = FirstPause;

        public Task NextAsync(CancellationToken cancellationToken = default)
        {
            var pause = next;
            next = next * 2 < LongestPause ? next * 2 : LongestPause;
            return Task.Delay(pause, cancellationToken);
        }
    }
}
