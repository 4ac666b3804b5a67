using Kiln.Core.Volumes;

namespace Kiln.Server.Scheduling;

/// <summary>
/// Room on a volume's own pool for an extend, checked and counted as the scheduler counts a new volume
/// (Cinder sends extends through the scheduler's capacity filter and consumes the growth from the pool).
/// </summary>
public interface IExtendCapacity
{
    /// <summary>
    /// Holds the growth to <paramref name="newSizeGb"/> on the volume's pool until the backend's next
    /// stats, and returns null; or returns Cinder's NoValidBackend message and holds nothing.
    /// </summary>
    string? TryHold(Volume volume, int newSizeGb, VolumeType? type, out ExtendHold? hold);

    /// <summary>Gives back a hold whose extend was refused after all (quota, status changed).</summary>
    void Release(ExtendHold hold);
}

/// <summary>Gigabytes held on a pool for an extend, against the stats published at <see cref="StatsAt"/>.</summary>
public sealed record ExtendHold(string PoolName, int SizeGb, bool Thin, DateTimeOffset? StatsAt);
