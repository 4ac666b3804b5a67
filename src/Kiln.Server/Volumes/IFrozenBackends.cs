namespace Kiln.Server.Volumes;

/// <summary>
/// Whether a backend is frozen (os-services freeze), read from the service records every node shares:
/// Cinder refuses modifications of a frozen backend's volumes and snapshots (<c>assert_not_frozen</c>).
/// </summary>
public interface IFrozenBackends
{
    /// <summary>Cinder's refusal (InvalidInput, 400) when <paramref name="backendHost"/> is frozen; null otherwise.</summary>
    Task<string?> RefuseIfFrozenAsync(string backendHost, CancellationToken cancellationToken);
}
