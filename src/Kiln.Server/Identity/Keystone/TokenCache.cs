using System.Diagnostics.CodeAnalysis;

namespace Kiln.Server.Identity.Keystone;

/// <summary>
/// Validation results by token hash, each until its own time, never more than <see cref="Capacity"/>
/// entries: adding to a full cache first drops expired entries at the old end, then the oldest.
/// Entries are kept in insertion order, which with one cache time is nearly expiry order, so both
/// steps are O(1) per entry dropped.
/// </summary>
internal sealed class TokenCache
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> order = new();

    public TokenCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, expired ones not yet dropped included.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>The result for <paramref name="key"/> if it is cached and has not expired at <paramref name="now"/>.</summary>
    public bool TryGet(string key, DateTimeOffset now, [NotNullWhen(true)] out TokenValidation? result)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                if (now < node.Value.Until)
                {
                    result = node.Value.Result;
                    return true;
                }

                Remove(node);
            }
        }

        result = null;
        return false;
    }

    /// <summary>Keeps <paramref name="result"/> until <paramref name="until"/>; a time not after <paramref name="now"/> keeps nothing.</summary>
    public void Set(string key, TokenValidation result, DateTimeOffset until, DateTimeOffset now)
    {
        if (until <= now)
        {
            return;
        }

        lock (gate)
        {
            if (entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            while (order.First is { } oldest && (oldest.Value.Until <= now || entries.Count >= Capacity))
            {
                Remove(oldest);
            }

            entries[key] = order.AddLast(new Entry(key, result, until));
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        order.Remove(node);
        entries.Remove(node.Value.Key);
    }

    private sealed record Entry(string Key, TokenValidation Result, DateTimeOffset Until);
}
