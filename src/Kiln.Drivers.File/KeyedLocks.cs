namespace Kiln.Drivers.File;

/// <summary>
/// One async lock per file key, process-wide: driver instances come and go with re-initialization, but two
/// of them must never work on the same file at once. Several keys are always taken in ordinal order, so
/// operations that need more than one (clone: source and target) cannot deadlock. A key's lock is dropped
/// when nobody holds or waits for it, so memory does not grow with every volume ever seen.
/// </summary>
internal static class KeyedLocks
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="key"/> has a lock object now (held or awaited); for tests.</summary>
    internal static bool IsTracked(string key)
    {
        lock (Gate)
        {
            return Entries.ContainsKey(key);
        }
    }

    /// <summary>How many holders and waiters <paramref name="key"/> has now; for tests.</summary>
    internal static int References(string key)
    {
        lock (Gate)
        {
            return Entries.TryGetValue(key, out var entry) ? entry.References : 0;
        }
    }

    public static async Task<IDisposable> AcquireAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var taken = new List<(string Key, Entry Entry)>();
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var entry = Reference(key);
                try
                {
                    await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    Unreference(key, entry);
                    throw;
                }

                taken.Add((key, entry));
            }
        }
        catch
        {
            Release(taken);
            throw;
        }

        return new Releaser(taken);
    }

    private static Entry Reference(string key)
    {
        lock (Gate)
        {
            if (!Entries.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                Entries.Add(key, entry);
            }

            entry.References++;
            return entry;
        }
    }

    private static void Unreference(string key, Entry entry)
    {
        lock (Gate)
        {
            if (--entry.References == 0)
            {
                Entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private static void Release(List<(string Key, Entry Entry)> taken)
    {
        for (var i = taken.Count - 1; i >= 0; i--)
        {
            taken[i].Entry.Semaphore.Release();
            Unreference(taken[i].Key, taken[i].Entry);
        }

        taken.Clear();
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }

    private sealed class Releaser(List<(string Key, Entry Entry)> taken) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Release(taken);
            }
        }
    }
}
