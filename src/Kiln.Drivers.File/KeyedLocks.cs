using System.Collections.Concurrent;

namespace Kiln.Drivers.File;

/// <summary>
/// One async lock per file key, process-wide: driver instances come and go with re-initialization, but two
/// of them must never work on the same file at once. Several keys are always taken in ordinal order, so
/// operations that need more than one (clone: source and target) cannot deadlock.
/// </summary>
internal static class KeyedLocks
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var taken = new List<SemaphoreSlim>();
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var gate = Locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                taken.Add(gate);
            }
        }
        catch
        {
            Release(taken);
            throw;
        }

        return new Releaser(taken);
    }

    private static void Release(List<SemaphoreSlim> taken)
    {
        for (var i = taken.Count - 1; i >= 0; i--)
        {
            taken[i].Release();
        }

        taken.Clear();
    }

    private sealed class Releaser(List<SemaphoreSlim> taken) : IDisposable
    {
        public void Dispose() => Release(taken);
    }
}
