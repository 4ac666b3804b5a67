using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records every timer made on it (a <c>Task.Delay</c> on this
/// clock makes one): a test sees when a background loop has started to wait, and for how long, instead
/// of sleeping and hoping the loop got that far.
/// </summary>
internal sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly DateTimeOffset start;
    private readonly ConcurrentQueue<(TimeSpan At, TimeSpan DueTime)> timers = new();

    public TimerRecordingTimeProvider() => start = GetUtcNow();

    /// <summary>Each timer made so far: when (fake time since construction) and its first due time.</summary>
    public IReadOnlyCollection<(TimeSpan At, TimeSpan DueTime)> Timers => timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        timers.Enqueue((GetUtcNow() - start, dueTime));
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
