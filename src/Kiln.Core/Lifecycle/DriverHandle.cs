using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// One driver instance and the calls using it. The host holds one reference for as long as the instance
/// is its driver (or its readiness probe); every driver call holds another (a lease). Once the host lets
/// go and the last lease ends, <see cref="Drained"/> completes and the instance can be disposed.
/// </summary>
internal sealed class DriverHandle(IVolumeDriver driver)
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The host's own reference is the first one; zero means retired and drained, for good.
    private int references = 1;
    private int released;

    public IVolumeDriver Driver => driver;

    /// <summary>Calls holding a lease now.</summary>
    public int Leases => Math.Max(Volatile.Read(ref references) - (Volatile.Read(ref released) == 0 ? 1 : 0), 0);

    /// <summary>Completes when the host has let go and no lease is left.</summary>
    public Task Drained => drained.Task;

    /// <summary>Takes a lease; false once the handle has drained (a retired driver is never handed out again).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Ends a lease taken with <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>Drops the host's own reference; true the first time only.</summary>
    public bool Retire()
    {
        if (Interlocked.Exchange(ref released, 1) != 0)
        {
            return false;
        }

        Release();
        return true;
    }
}
