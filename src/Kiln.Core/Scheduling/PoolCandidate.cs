using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Scheduling;

/// <summary>One pool of one backend, as the scheduler sees it when placing a new volume.</summary>
public sealed record PoolCandidate
{
    /// <summary>Cinder host of the backend: <c>host@backend</c>.</summary>
    public required string BackendHost { get; init; }

    public required string PoolName { get; init; }

    public required BackendState State { get; init; }

    public required PoolStats Stats { get; init; }

    public required string VolumeBackendName { get; init; }

    public required string AvailabilityZone { get; init; }

    /// <summary>The backend's last error as <c>Class: message</c>; null when none.</summary>
    public string? StateReason { get; init; }

    /// <summary>When the backend's next automatic re-initialization is due; null when none is scheduled.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public required string StorageProtocol { get; init; }

    public required string VendorName { get; init; }

    public required string DriverVersion { get; init; }

    /// <summary>The full Cinder pool name, <c>host@backend#pool</c>.</summary>
    /// <remarks>Built on each call; the scheduler's hot path compares names without building them.</remarks>
    public string Name => $"{BackendHost}#{PoolName}";

    /// <summary>
    /// The candidates of one backend: one per reported pool. A backend that has not published stats
    /// (or reports no pools) still yields one candidate named after the backend, with no capacity, so
    /// that a placement failure can say why that backend was passed over.
    /// </summary>
    public static IReadOnlyList<PoolCandidate> FromSnapshot(BackendSnapshot snapshot, string availabilityZone)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(availabilityZone);

        var stats = snapshot.Stats;
        var reason = snapshot.ErrorText;
        if (stats is null || stats.Pools.Count == 0)
        {
            return [Candidate(snapshot, availabilityZone, new PoolStats { PoolName = snapshot.BackendName }, reason)];
        }

        // Built directly rather than by copying a template with `with`: the scheduler builds every
        // backend's candidates for each placement, so each allocation here is paid per pool per volume.
        var candidates = new PoolCandidate[stats.Pools.Count];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = Candidate(snapshot, availabilityZone, stats.Pools[i], reason);
        }

        return candidates;
    }

    private static PoolCandidate Candidate(BackendSnapshot snapshot, string availabilityZone, PoolStats pool, string? reason)
    {
        var stats = snapshot.Stats;
        return new PoolCandidate
        {
            BackendHost = snapshot.Host,
            PoolName = pool.PoolName,
            State = snapshot.State,
            Stats = pool,
            VolumeBackendName = stats?.VolumeBackendName ?? snapshot.BackendName,
            AvailabilityZone = availabilityZone,
            StateReason = reason,
            NextAttemptAt = snapshot.NextAttemptAt,
            StorageProtocol = stats?.StorageProtocol ?? string.Empty,
            VendorName = stats?.VendorName ?? string.Empty,
            DriverVersion = stats?.DriverVersion ?? string.Empty,
        };
    }
}
