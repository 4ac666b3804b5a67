using Kiln.Core.Lifecycle;
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
    // Per pool, since its last stats: GB placed, and the part of it that takes free space at once (thick).
    private readonly Dictionary<string, (DateTimeOffset? StatsAt, double PlacedGb, double ThickGb)> placed = new(StringComparer.Ordinal);

    // Per backend, its candidates as built from its current snapshot: snapshots are immutable and
    // replaced on every change, so one is rebuilt only when its backend published a new one. Building
    // them all for each placement took 63 µs of a decision's 71 at 1,000 pools (docs/benchmarks.md).
    private readonly Dictionary<string, (BackendSnapshot Snapshot, List<PoolCandidate> Candidates)> built = new(StringComparer.Ordinal);

    /// <summary>Held by whoever reads <see cref="Candidates"/> and then consumes from them (placements and extends), so that two decisions never count the same free space.</summary>
    public Lock Placing { get; } = new();

    /// <summary>Candidates for one placement. Callers hold <see cref="Placing"/> over Candidates + <see cref="Consume"/>.</summary>
    public List<PoolCandidate> Candidates()
    {
        var candidates = new List<PoolCandidate>();
        foreach (var backend in backends.All)
        {
            if (services.IsDisabled(backend.Host, out _))
            {
                continue;
            }

            foreach (var candidate in CandidatesOf(backend))
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
                            FreeCapacityGb = pool.FreeCapacityGb - entry.ThickGb,
                            AllocatedCapacityGb = pool.AllocatedCapacityGb + entry.PlacedGb,
                            ProvisionedCapacityGb = pool.ProvisionedCapacityGb + entry.PlacedGb,
                        },
                    });
                }
            }
        }

        return candidates;
    }

    private List<PoolCandidate> CandidatesOf(BackendSnapshot backend)
    {
        if (built.TryGetValue(backend.Host, out var entry) && ReferenceEquals(entry.Snapshot, backend))
        {
            return entry.Candidates;
        }

        var candidates = PoolCandidate.FromSnapshot(backend, configuration.StorageAvailabilityZone).ToList();
        built[backend.Host] = (backend, candidates);
        return candidates;
    }

    /// <summary>
    /// Counts <paramref name="sizeGb"/> against the pool until its backend publishes fresh stats: as
    /// allocated and provisioned, and as used free space only for a thick volume. A thin volume takes
    /// space as data is written, which the next stats report; Cinder subtracts it from free space at
    /// once, so a burst of thin creates and deletes within one stats interval ran a pool "out of space"
    /// with its disk empty.
    /// </summary>
    public void Consume(PoolCandidate pool, int sizeGb, bool thin, DateTimeOffset? statsAt)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var current = placed.TryGetValue(pool.Name, out var entry) && entry.StatsAt == statsAt ? entry : (statsAt, 0, 0);
        placed[pool.Name] = (statsAt, current.PlacedGb + sizeGb, current.ThickGb + (thin ? 0 : sizeGb));
    }

    /// <summary>
    /// Takes back what <see cref="Consume"/> counted for a request that was refused after all; nothing
    /// when the backend has published stats since (they never counted it).
    /// </summary>
    public void Release(string poolName, int sizeGb, bool thin, DateTimeOffset? statsAt)
    {
        if (placed.TryGetValue(poolName, out var entry) && entry.StatsAt == statsAt)
        {
            placed[poolName] = (statsAt, Math.Max(0, entry.PlacedGb - sizeGb), Math.Max(0, entry.ThickGb - (thin ? 0 : sizeGb)));
        }
    }

    /// <summary>Backends an operator disabled (os-services disable), with the reason, for the "no valid backend" message.</summary>
    public IEnumerable<string> DisabledExclusions() =>
        backends.All
            .Select(b => services.IsDisabled(b.Host, out var reason) ? $"{b.Host}: disabled by an operator{(reason is null ? string.Empty : $" ({reason})")}" : null)
            .OfType<string>();

    public DateTimeOffset? StatsTime(string backendHost) => backends.Find(backendHost)?.StatsUpdatedAt;
}
