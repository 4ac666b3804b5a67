using System.Collections.Concurrent;

namespace Kiln.Failover.Tests;

/// <summary>A volume or snapshot the run created (its create was acknowledged), and what acknowledged requests asked of it since.</summary>
internal sealed class Tracked(string kind, string id, TimeSpan createdAt)
{
    public string Kind => kind;

    public string Id => id;

    public TimeSpan CreatedAt => createdAt;

    /// <summary>The size the last acknowledged extend asked for (volumes).</summary>
    public int? ExtendedTo { get; set; }

    /// <summary>When a delete of it was acknowledged.</summary>
    public TimeSpan? DeletedAt { get; set; }
}

/// <summary>Every acknowledged request of the run, per resource, and counts per operation.</summary>
internal sealed class Ledger
{
    public ConcurrentDictionary<string, Tracked> Resources { get; } = new();

    /// <summary>Per operation: sent, acknowledged (202), ended as asked.</summary>
    public ConcurrentDictionary<string, int[]> Counts { get; } = new();

    public void Count(string operation, int column) => Interlocked.Increment(ref Counts.GetOrAdd(operation, _ => new int[3])[column]);

    /// <summary>Per operation, the last answer that was not an acknowledgement (status and body), for the report.</summary>
    public ConcurrentDictionary<string, string> LastRefusal { get; } = new();

    public Tracked Add(string kind, string id, TimeSpan at) => Resources.GetOrAdd(id, _ => new Tracked(kind, id, at));
}
