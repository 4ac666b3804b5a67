using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

/// <summary>The hot path must cost the same memory whatever the number of pools: no per-pool allocation.</summary>
public sealed class SchedulerAllocationTests
{
    private static readonly (string, string)[] TypicalSpecs =
        [("volume_backend_name", "fast"), ("capabilities:multiattach", "<is> True"), ("tier", "<or> gold <or> silver"), ("qos:iops", "5")];

    private static readonly PlacementRequest Typical = Request(10, TypicalSpecs) with { AvailabilityZone = "nova" };

    [Fact]
    public void Place_ThousandPoolsMostlyPassing_AllocatesAsMuchAsForTen() =>
        BytesPerPlacement(Pools(1000)).ShouldBe(BytesPerPlacement(Pools(10)));

    [Fact]
    public void Place_ThousandPoolsMostlyExcludedButOnePlaced_AllocatesAsMuchAsForTen() =>
        // Reasons are only written when nothing fits, so excluded pools cost nothing either.
        BytesPerPlacement(Excluded(1000)).ShouldBe(BytesPerPlacement(Excluded(10)));

    private static PoolCandidate[] Pools(int count)
    {
        var capabilities = new Dictionary<string, string> { ["multiattach"] = "True", ["tier"] = "gold" };
        return [.. Enumerable.Range(0, count).Select(i => Pool($"node{i}@fast#p", free: 100 + (i % 37), thin: i % 2 == 0, ratio: 2, capabilities: capabilities))];
    }

    private static PoolCandidate[] Excluded(int count)
    {
        var pools = Pools(count);
        for (var i = 1; i < pools.Length; i++)
        {
            pools[i] = (i % 4) switch
            {
                0 => pools[i] with { State = BackendState.Failed, StateReason = "DriverException: down", NextAttemptAt = Now + TimeSpan.FromSeconds(i) },
                1 => pools[i] with { AvailabilityZone = "az2" },
                2 => pools[i] with { VolumeBackendName = "slow" },
                _ => pools[i] with { Stats = pools[i].Stats with { FreeCapacityGb = 1, ThinProvisioningSupport = false } },
            };
        }

        return pools;
    }

    private static long BytesPerPlacement(PoolCandidate[] pools)
    {
        var scheduler = new VolumeScheduler();
        scheduler.Place(Typical, pools, Now).ShouldBeOfType<Placed>();
        var least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            scheduler.Place(Typical, pools, Now);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
