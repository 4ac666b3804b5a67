using System.Collections.Concurrent;
using System.Net;

namespace Kiln.Chaos.Tests;

/// <summary>A volume the traffic created and Kiln acknowledged (202).</summary>
internal sealed class TrackedVolume(string id, string backend, TimeSpan ackedAt)
{
    public string Id { get; } = id;

    public string Backend { get; } = backend;

    public TimeSpan AckedAt { get; } = ackedAt;

    /// <summary>A delete was acknowledged, or sent without an answer (the process died): it may be gone.</summary>
    public bool MayBeGone { get; set; }

    public ConcurrentQueue<string> History { get; } = new();
}

/// <summary>A snapshot the traffic created and Kiln acknowledged.</summary>
internal sealed class TrackedSnapshot(string id, string volumeId, string backend, TimeSpan ackedAt)
{
    public string Id { get; } = id;

    public string VolumeId { get; } = volumeId;

    public string Backend { get; } = backend;

    public TimeSpan AckedAt { get; } = ackedAt;

    public bool MayBeGone { get; set; }
}

/// <summary>One request of the traffic and how it ended.</summary>
internal sealed record RequestRecord(
    string Operation, string Backend, string? Resource, TimeSpan Start, TimeSpan End, HttpStatusCode? Status, string Final, string Expected, bool Race)
{
    public bool Succeeded => Status is HttpStatusCode.Accepted or HttpStatusCode.OK && Final == Expected;
}

/// <summary>Everything the run saw, for the invariants.</summary>
internal sealed class Ledger
{
    public ConcurrentDictionary<string, TrackedVolume> Volumes { get; } = new();

    public ConcurrentDictionary<string, TrackedSnapshot> Snapshots { get; } = new();

    public ConcurrentQueue<RequestRecord> Requests { get; } = new();

    /// <summary>Times when a process-wide fault (kill, full database) was in effect; requests overlapping them do not count for clean backends.</summary>
    public ConcurrentQueue<(TimeSpan Start, TimeSpan End, string What)> GlobalWindows { get; } = new();

    /// <summary>Pairs of conflicting requests Kiln both accepted (delete ‖ snapshot, delete ‖ clone).</summary>
    public ConcurrentQueue<(TimeSpan At, string What)> BothAccepted { get; } = new();

    public bool InGlobalWindow(TimeSpan start, TimeSpan end) => GlobalWindows.Any(w => start <= w.End && end >= w.Start);
}
