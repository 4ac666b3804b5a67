using Kiln.Core.Lifecycle;

namespace Kiln.Server.Volumes;

/// <summary>The current lifecycle snapshot of any backend by <c>host@backend</c>; the API's view of backend readiness.</summary>
public interface IBackendStates
{
    BackendSnapshot? Find(string backendHost);

    IReadOnlyList<BackendSnapshot> All { get; }
}
