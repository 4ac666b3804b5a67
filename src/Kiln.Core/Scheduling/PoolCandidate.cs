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
        var template = new PoolCandidate
        {
            BackendHost = snapshot.Host,
            PoolName = snapshot.BackendName,
            State = snapshot.State,
            Stats = new PoolStats { PoolName = snapshot.BackendName },
            VolumeBackendName = stats?.VolumeBackendName ?? snapshot.BackendName,
            AvailabilityZone = availabilityZone,
            StateReason = snapshot.ErrorText,
            NextAttemptAt = snapshot.NextAttemptAt,
            StorageProtocol = stats?.StorageProtocol ?? string.Empty,
            VendorName = stats?.VendorName ?? string.Empty,
            DriverVersion = stats?.DriverVersion ?? string.Empty,
        };

        if (stats is null || stats.Pools.Count == 0)
        {
            return [template];
        }

        var candidates = new PoolCandidate[stats.Pools.Count];
        for (var i = 0; i < candidates.Length; i++)
        {
            var pool = stats.Pools[i];
            candidates[i] = template with { PoolName = pool.PoolName, Stats = pool };
        }

        return candidates;
    }
}
