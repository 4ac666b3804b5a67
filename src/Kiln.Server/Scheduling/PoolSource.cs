using Kiln.Core.Scheduling;
using Kiln.Server.Configuration;
using Kiln.Server.Services;
using Kiln.Server.Volumes;

namespace Kiln.Server.Scheduling;

/// <summary>
/// The pools the scheduler chooses from: every backend's last published stats, minus what the
/// scheduler itself placed since those stats were published (so a burst of creates does not
/// over-fill a pool whose stats are up to a polling interval old).
/// </summary>
internal sealed class PoolSource(IBackendStates backends, KilnConfiguration configuration, ServiceDirectory services)
{
    private readonly Dictionary<string, (DateTimeOffset? StatsAt, double PlacedGb)> placed = new(StringComparer.Ordinal);

    /// <summary>Candidates for one placement. Callers serialize Candidates + <see cref="Consume"/>.</summary>
    public List<PoolCandidate> Candidates()
    {
        var candidates = new List<PoolCandidate>();
        foreach (var backend in backends.All)
        {
            if (services.IsDisabled(backend.Host, out _))
            {
                continue;
            }

            foreach (var candidate in PoolCandidate.FromSnapshot(backend, configuration.StorageAvailabilityZone))
            {
                if (placed.Count == 0 || !placed.TryGetValue(candidate.Name, out var entry))
                {
                    candidates.Add(candidate);
                }
                else if (entry.StatsAt != backend.StatsUpdatedAt)
                {
                    // Fresh stats already count what was placed before them.
                    placed.Remove(candidate.Name);
                    candidates.Add(candidate);
                }
                else
                {
                    var pool = candidate.Stats;
                    candidates.Add(candidate with
                    {
                        Stats = pool with
                        {
                            FreeCapacityGb = pool.FreeCapacityGb - entry.PlacedGb,
                            AllocatedCapacityGb = pool.AllocatedCapacityGb + entry.PlacedGb,
                            ProvisionedCapacityGb = pool.ProvisionedCapacityGb + entry.PlacedGb,
                        },
                    });
                }
            }
        }

        return candidates;
    }

    /// <summary>Counts <paramref name="sizeGb"/> against the pool until its backend publishes fresh stats.</summary>
    public void Consume(PoolCandidate pool, int sizeGb, DateTimeOffset? statsAt)
    {
        var current = placed.TryGetValue(pool.Name, out var entry) && entry.StatsAt == statsAt ? entry.PlacedGb : 0;
        placed[pool.Name] = (statsAt, current + sizeGb);
    }

    /// <summary>Backends an operator disabled (os-services disable), with the reason, for the "no valid backend" message.</summary>
    public IEnumerable<string> DisabledExclusions() =>
        backends.All
            .Select(b => services.IsDisabled(b.Host, out var reason) ? $"{b.Host}: disabled by an operator{(reason is null ? string.Empty : $" ({reason})")}" : null)
            .OfType<string>();

    public DateTimeOffset? StatsTime(string backendHost) => backends.Find(backendHost)?.StatsUpdatedAt;
}
