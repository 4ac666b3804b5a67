using System.Collections.ObjectModel;
using Kiln.Core.Scheduling;
using Kiln.Core.Volumes;

namespace Kiln.Server.Scheduling;

/// <summary>
/// Checks an extend against the same candidates the scheduler places on (last stats minus what was
/// placed since), under the scheduler's lock, so a create and an extend on one pool cannot both take
/// its last gigabytes in this process; the hold's ceiling is checked again by the extend's claim in the
/// database (<see cref="PoolRoom"/>), which sees what every other node placed or extended. The API refuses at once (400) rather than accepting and failing later as
/// Cinder does (202, then <c>available</c> with a user message): the answer is known when the request
/// is made, and a client waiting for the new size would otherwise wait for ever.
/// </summary>
internal sealed class PoolExtendCapacity(PoolSource pools) : IExtendCapacity
{
    /// <summary>The pool capability (Cinder drivers' name) that says whether attached volumes can grow.</summary>
    public const string OnlineExtendSupport = "online_extend_support";

    public string? TryHold(Volume volume, int newSizeGb, VolumeType? type, out ExtendHold? hold)
    {
        ArgumentNullException.ThrowIfNull(volume);
        hold = null;
        var growth = newSizeGb - volume.SizeGb;
        var specs = type?.ExtraSpecs ?? ReadOnlyDictionary<string, string>.Empty;
        lock (pools.Placing)
        {
            var pool = pools.Candidates().Find(c => c.Name == volume.Host || (c.BackendHost == volume.Host && !volume.Host.Contains('#', StringComparison.Ordinal)));
            if (pool is null)
            {
                return $"No valid backend was found. Cannot place volume {volume.Id} on {volume.Host}: the pool is not reported by its backend, or the backend is disabled.";
            }

            // Kiln's drivers say whether they can grow a volume a host has attached; absent means they can.
            if (volume.Status == VolumeStatus.InUse && pool.Stats.Capabilities.TryGetValue(OnlineExtendSupport, out var online)
                && string.Equals(online, "False", StringComparison.OrdinalIgnoreCase))
            {
                return $"Invalid volume: volume {volume.Id} is in-use and its pool {pool.Name} cannot extend attached volumes ({OnlineExtendSupport} False); detach it first.";
            }

            if (ExtendCapacityCheck.Exclusion(pool, growth, specs) is { } reason)
            {
                return $"No valid backend was found. Cannot extend volume {volume.Id} by {growth} GB on {pool.Name}: {reason}.";
            }

            var thin = new PlacementRequest { SizeGb = growth, ExtraSpecs = specs }.IsThinOn(pool.Stats);
            var statsAt = pools.StatsTime(pool.BackendHost);
            pools.Consume(pool, growth, thin, statsAt);
            hold = new ExtendHold(pool.Name, growth, thin, statsAt, PoolCeiling.Of(pool.Stats, thin));
            return null;
        }
    }

    public void Release(ExtendHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        lock (pools.Placing)
        {
            pools.Release(hold.PoolName, hold.SizeGb, hold.Thin, hold.StatsAt);
        }
    }
}
