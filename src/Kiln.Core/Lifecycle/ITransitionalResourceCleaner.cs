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
}

/// <summary>A cleaner for deployments without persisted resources.</summary>
public sealed class NoTransitionalResources : ITransitionalResourceCleaner
{
    public static NoTransitionalResources Instance { get; } = new();

    public Task CleanupAsync(string host, IVolumeDriver driver, CancellationToken cancellationToken) => Task.CompletedTask;
}
