using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// The right to call a backend's driver for one operation. While any lease is held, a driver replaced by a
/// re-initialization is not disposed (up to a bound; see <see cref="BackendHost"/>). Dispose it when the
/// operation's driver call has ended.
/// </summary>
public sealed class DriverLease : IDisposable
{
    private readonly DriverHandle handle;
    private int disposed;

    internal DriverLease(DriverHandle handle, TimeSpan operationTimeout)
    {
        this.handle = handle;
        OperationTimeout = operationTimeout;
    }

    /// <summary>The initialized driver this lease keeps alive.</summary>
    public IVolumeDriver Driver => handle.Driver;

    /// <summary>The limit of one volume operation on this backend (<c>driver_operation_timeout</c>) when the lease was taken.</summary>
    public TimeSpan OperationTimeout { get; }

    /// <summary>Ends the lease; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            handle.Release();
        }
    }
}
