using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// The last step of initialization: resolves this backend's resources left in transitional states
/// (creating, deleting, extending, …) by an earlier run. Throwing fails the init attempt
/// (recoverable); resources that cannot be cleaned individually are marked error instead.
/// </summary>
public interface ITransitionalResourceCleaner
{
    /// <summary>Cleans up resources of the backend <paramref name="host"/> (<c>host@backend</c>) with its freshly set-up driver.</summary>
    Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken);

    /// <summary>
    /// Runs after <see cref="CleanupAsync"/> in every successful attempt: what cinder-volume's init_host does with the
    /// backend's resources once its driver is set up (<c>update_provider_info</c>, then <c>ensure_export</c> of each
    /// in-use volume), each driver call bounded by <paramref name="operationTimeout"/>. A volume whose export cannot be
    /// restored is marked error and does not fail the attempt; a failure of the driver as a whole does (recoverable).
    /// The default, for deployments without persisted resources, does nothing.
    /// </summary>
    Task ResyncAsync(string host, IVolumeDriver driver, TimeSpan operationTimeout, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A cleaner for deployments without persisted resources.</summary>
public sealed class NoTransitionalResources : ITransitionalResourceCleaner
{
    public static NoTransitionalResources Instance { get; } = new();

    public Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken) => Task.CompletedTask;
}
