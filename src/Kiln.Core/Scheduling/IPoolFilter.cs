namespace Kiln.Core.Scheduling;

/// <summary>One rule a pool must pass to take the requested volume; built per request.</summary>
internal interface IPoolFilter
{
    /// <summary>Whether the pool passes. Runs for every pool of every request, so it must not allocate.</summary>
    bool Passes(PoolCandidate pool);

    /// <summary>Null when the pool passes; otherwise why it is excluded, in words a user reads.</summary>
    string? Exclude(PoolCandidate pool);
}
