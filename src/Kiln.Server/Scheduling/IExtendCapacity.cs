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

/// <summary>
/// Gigabytes held on a pool for an extend, against the stats published at <see cref="StatsAt"/>; <see cref="CeilingGb"/>
/// is the most the pool may hold (<c>PoolCeiling</c>), which the extend's claim checks again in the database.
/// </summary>
public sealed record ExtendHold(string PoolName, int SizeGb, bool Thin, DateTimeOffset? StatsAt, double CeilingGb = double.PositiveInfinity);

/// <summary>
/// A pool's room checked in the database, under the pool's lock, by the write that takes it: the GB recorded on
/// <see cref="Pool"/> by every node plus the request's must stay within <see cref="CeilingGb"/>.
/// </summary>
public sealed record PoolRoom(string Pool, double CeilingGb);
