namespace Kiln.Core.Scheduling;

/// <summary>A volume made from a snapshot or another volume must stay on the source's backend.</summary>
internal sealed class RequiredBackendFilter : IPoolFilter
{
    private readonly string backendHost;

    public RequiredBackendFilter(string requiredHost)
    {
        // Callers often hold the source's full pool name (host@backend#pool); any pool will do.
        var pool = requiredHost.IndexOf('#', StringComparison.Ordinal);
        backendHost = pool < 0 ? requiredHost : requiredHost[..pool];
    }

    public bool Passes(PoolCandidate pool) => string.Equals(pool.BackendHost, backendHost, StringComparison.Ordinal);

    public string? Exclude(PoolCandidate pool) =>
        Passes(pool) ? null : $"not the backend of the source snapshot or volume (needs {backendHost})";
}
