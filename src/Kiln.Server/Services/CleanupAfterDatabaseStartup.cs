using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;

namespace Kiln.Server.Services;

/// <summary>
/// A backend's init clean-up reads the database, so it waits for the database start-up; the driver's
/// setup before it does not, and overlaps the migrations.
/// </summary>
internal sealed class CleanupAfterDatabaseStartup(TransitionalResourceCleaner inner, Groups.GroupCleaner groups, DatabaseStartup startup, BackendResync resync) : ITransitionalResourceCleaner
{
    public async Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken)
    {
        await startup.WaitAsync(cancellationToken).ConfigureAwait(false);
        await inner.CleanupAsync(host, driver, cancellationToken).ConfigureAwait(false);

        // After the members: a group's final status follows from theirs.
        await groups.CleanupAsync(host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>update_provider_info and the re-exports of in-use volumes, after the clean-up settled attach statuses.</summary>
    public Task ResyncAsync(string host, IVolumeDriver driver, TimeSpan operationTimeout, CancellationToken cancellationToken) =>
        resync.RunAsync(host, driver, operationTimeout, cancellationToken);
}
