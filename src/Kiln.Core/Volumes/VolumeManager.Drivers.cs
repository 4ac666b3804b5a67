using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Volumes;

/// <summary>How the volume manager reaches a backend's driver: through a lease, within <c>driver_operation_timeout</c>.</summary>
public sealed partial class VolumeManager
{
    /// <summary>
    /// A lease on the driver of <paramref name="backendHost"/>, or the reason there is none. While the backend
    /// is <c>initializing</c> (an operator's re-initialization of a healthy backend, or start-up), a queued
    /// operation waits for the attempt's outcome instead of failing at once; a synchronous call
    /// (<paramref name="waitWhileInitializing"/> false) does not. Dispose the result when the driver call has ended.
    /// </summary>
    private async Task<DriverAccess> DriverForAsync(string? backendHost, CancellationToken cancellationToken, bool waitWhileInitializing = true)
    {
        if (backendHost is null)
        {
            return new DriverAccess(null, "The volume is not placed on any backend.");
        }

        var backend = findBackend(backendHost);
        if (backend is null)
        {
            return new DriverAccess(null, $"Backend {backendHost} is not served by this node.");
        }

        var lease = waitWhileInitializing
            ? await backend.LeaseDriverAsync(cancellationToken).ConfigureAwait(false)
            : backend.TryLeaseDriver();
        return lease is null ? new DriverAccess(null, NotReadyReason(backend.Snapshot)) : new DriverAccess(lease, null);
    }

    // Every driver call is bounded by driver_operation_timeout, so a hung driver ends the request in an
    // error status instead of leaving it transitional for as long as the process lives.
    private Task<T> CallAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        BoundedCall.RunAsync(
            operation, call, timeout, timeProvider, ex => LogAbandoned(logger, operation, ex.Message), cancellationToken, LifecycleOptions.DriverOperationTimeoutOption);

    private Task<bool> CallAsync(string operation, TimeSpan timeout, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        CallAsync(operation, timeout, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A driver lease (or the refusal), deconstructed at each call site as (driver, timeout, refusal).</summary>
    private sealed class DriverAccess(DriverLease? lease, string? refusal) : IDisposable
    {
        public void Deconstruct(out IVolumeDriver? driver, out TimeSpan timeout, out string? reason)
        {
            driver = lease?.Driver;
            timeout = lease?.OperationTimeout ?? default;
            reason = refusal;
        }

        public void Dispose() => lease?.Dispose();
    }
}
