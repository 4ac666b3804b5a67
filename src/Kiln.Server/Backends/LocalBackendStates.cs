using Kiln.Core.Lifecycle;
using Kiln.Server.Volumes;

namespace Kiln.Server.Backends;

/// <summary>Backend states of this process's own backends. (A multi-node deployment reads the service records instead.)</summary>
internal sealed class LocalBackendStates(BackendCatalog catalog) : IBackendStates
{
    public BackendSnapshot? Find(string backendHost) => catalog.Find(backendHost)?.Snapshot;

    public IReadOnlyList<BackendSnapshot> All => [.. catalog.Hosts.Select(h => h.Snapshot)];
}
