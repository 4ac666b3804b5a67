using System.Collections.Concurrent;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Dashboard;

/// <summary>
/// Each local backend's recent state changes, for the dashboard's timeline. Bounded twice, so a backend
/// that flaps for months costs a fixed amount of memory: at most <see cref="MaxEntries"/> changes per
/// backend, and none older than <see cref="MaxAge"/> except the one that tells the state at the start
/// of the window. Kept in memory: it starts again with the process (the service record keeps the
/// current state; the log keeps every transition).
/// </summary>
internal sealed class BackendHistory(TimeProvider timeProvider, int maxEntries = BackendHistory.DefaultMaxEntries, TimeSpan? maxAge = null)
{
    /// <summary>Changes kept per backend: a flapping backend fills it in minutes, a steady one never.</summary>
    public const int DefaultMaxEntries = 200;

    /// <summary>The window the timeline shows.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(6);

    private readonly ConcurrentDictionary<string, List<StateChange>> tracks = new(StringComparer.Ordinal);

    public int MaxEntries { get; } = maxEntries > 0 ? maxEntries : throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, "must be positive");

    public TimeSpan MaxAge { get; } = maxAge ?? DefaultMaxAge;

    /// <summary>Records that <paramref name="host"/> entered <paramref name="state"/> at <paramref name="at"/>; a repeat of the last state is ignored.</summary>
    public void Record(string host, BackendState state, DateTimeOffset at, string? error)
    {
        var track = tracks.GetOrAdd(host, _ => []);
        lock (track)
        {
            if (track.Count > 0 && track[^1].State == state)
            {
                return;
            }

            track.Add(new StateChange(at, state, error));
            Prune(track, timeProvider.GetUtcNow());
        }
    }

    /// <summary>The changes of <paramref name="host"/> within the window, oldest first (a copy).</summary>
    public IReadOnlyList<StateChange> Read(string host)
    {
        if (!tracks.TryGetValue(host, out var track))
        {
            return [];
        }

        lock (track)
        {
            Prune(track, timeProvider.GetUtcNow());
            return [.. track];
        }
    }

    private void Prune(List<StateChange> track, DateTimeOffset now)
    {
        var overCount = track.Count - MaxEntries;
        if (overCount > 0)
        {
            track.RemoveRange(0, overCount);
        }

        // The oldest change goes once the next one is itself at or before the window's start: the
        // next one then tells the state at the start.
        var start = now - MaxAge;
        var old = 0;
        while (old + 1 < track.Count && track[old + 1].At <= start)
        {
            old++;
        }

        if (old > 0)
        {
            track.RemoveRange(0, old);
        }
    }
}

/// <summary>A backend entered <paramref name="State"/> at <paramref name="At"/>, with its error then (<c>Class: message</c>).</summary>
internal readonly record struct StateChange(DateTimeOffset At, BackendState State, string? Error);
