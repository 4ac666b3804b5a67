using CsCheck;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.SchedulerModel;

namespace Kiln.Core.Tests.Scheduling;

/// <summary>Random pools and requests against the placement rules restated in <see cref="SchedulerModel"/>.</summary>
public sealed class SchedulerPropertyTests
{
    private static readonly DateTimeOffset Now = TestPools.Now;

    private static readonly Gen<PoolStats> GenStats =
        from total in Gen.Frequency(
            (10, Gen.Int[1, 2000].Select(i => (double)i)),
            (1, Gen.OneOfConst(0.0, -5.0, double.NaN, double.PositiveInfinity)))
        from free in Gen.Frequency((10, Gen.Int[-10, 2000].Select(i => (double)i)), (1, Gen.Const(double.NaN)))
        from reserved in Gen.OneOfConst(0, 5, 10, 50)
        from provisioned in Gen.Frequency((10, Gen.Int[0, 4000].Select(i => (double)i)), (1, Gen.Const(double.NaN)))
        from ratio in Gen.OneOfConst(0.5, 1.0, 1.5, 2.0, 20.0, double.NaN)
        from thin in Gen.Bool
        from thick in Gen.Bool
        from tier in Gen.OneOfConst<string?>(null, "gold", "silver")
        from multiattach in Gen.OneOfConst<string?>(null, "True", "false")
        from iops in Gen.OneOfConst<string?>(null, "100", "5000", "fast")
        select new PoolStats
        {
            PoolName = "ignored",
            TotalCapacityGb = total,
            FreeCapacityGb = free,
            ReservedPercentage = reserved,
            ProvisionedCapacityGb = provisioned,
            MaxOverSubscriptionRatio = ratio,
            ThinProvisioningSupport = thin,
            ThickProvisioningSupport = thick,
            Capabilities = new[] { ("tier", tier), ("multiattach", multiattach), ("iops", iops) }
                .Where(c => c.Item2 is not null)
                .ToDictionary(c => c.Item1, c => c.Item2!),
        };

    private static readonly Gen<PoolCandidate> GenPool =
        from host in Gen.OneOfConst("n@a", "n@a!", "n@B", "m@a")
        from poolName in Gen.OneOfConst("p", "q", "p2")
        from state in Gen.Frequency((6, Gen.Const(BackendState.Ready)), (2, Gen.Const(BackendState.Degraded)), (3, Gen.Enum<BackendState>()))
        from stats in GenStats
        from backendName in Gen.OneOfConst("fast", "slow")
        from zone in Gen.OneOfConst("nova", "az2")
        from protocol in Gen.OneOfConst("iSCSI", "NVMe")
        from error in Gen.OneOfConst<string?>(null, "DriverException: boom")
        from next in Gen.OneOf(Gen.Const((int?)null), Gen.Int[-10, 100].Select(i => (int?)i))
        select new PoolCandidate
        {
            BackendHost = host,
            PoolName = poolName,
            State = state,
            Stats = stats with { PoolName = poolName },
            VolumeBackendName = backendName,
            AvailabilityZone = zone,
            StateReason = error,
            NextAttemptAt = next is { } seconds ? Now + TimeSpan.FromSeconds(seconds) : null,
            StorageProtocol = protocol,
            VendorName = "Kiln",
            DriverVersion = "1.0.0",
        };

    private static readonly Gen<(string Key, string Value)> GenSpec = Gen.OneOfConst(
        ("volume_backend_name", "fast"),
        ("capabilities:volume_backend_name", "<or> fast <or> slow"),
        ("tier", "<in> gol"),
        ("capabilities:tier", "s>= h"),
        ("multiattach", "<is> True"),
        ("capabilities:multiattach", "true"),
        ("iops", ">= 1000"),
        ("iops", "= 100"),
        ("iops", "!= 5000"),
        ("capabilities:iops", "<= 200"),
        ("provisioning:type", "thick"),
        ("provisioning:type", "thin"),
        ("qos:read_iops_sec", "5"),
        ("thin_provisioning_support", "<is> True"),
        ("thick_provisioning_support", "True"),
        ("storage_protocol", "s== iSCSI"),
        ("pool_name", "<or> p <or> q"),
        ("driver_version", "s< 2"),
        ("replication_enabled", "<is> False"));

    private static readonly Gen<PlacementRequest> GenRequest =
        from size in Gen.Frequency((4, Gen.Int[1, 100]), (1, Gen.Int[100, 3000]))
        from zone in Gen.OneOfConst<string?>(null, string.Empty, "nova", "az2")
        from required in Gen.Frequency((6, Gen.Const((string?)null)), (1, Gen.OneOfConst<string?>("n@a", "n@B#p", "x@y")))
        from specs in GenSpec.Array[0, 3]
        select new PlacementRequest
        {
            SizeGb = size,
            AvailabilityZone = zone,
            RequiredBackendHost = required,
            ExtraSpecs = specs.DistinctBy(s => s.Key).ToDictionary(s => s.Key, s => s.Value),
        };

    // Unique names, so that each exclusion can be traced back to its pool.
    private static readonly Gen<PoolCandidate[]> GenPools =
        GenPool.Array[0, 8].Select(pools => pools.DistinctBy(p => p.Name).ToArray());

    [Fact]
    public void Place_RandomPoolsAndRequests_AgreesWithTheRules()
    {
        var scheduler = new VolumeScheduler();
        Gen.Select(GenRequest, GenPools).Sample(
            (request, pools) =>
            {
                var result = scheduler.Place(request, pools, Now);
                var passing = pools.Where(p => FirstFailure(p, request) is null).ToList();

                if (result is Placed placed)
                {
                    var chosen = placed.Pool;
                    pools.ShouldContain(chosen);
                    FirstFailure(chosen, request).ShouldBeNull();
                    var weight = Weight(chosen, request);
                    foreach (var other in passing)
                    {
                        var otherWeight = Weight(other, request);
                        otherWeight.ShouldBeLessThanOrEqualTo(weight, $"{other.Name} weighs more than {chosen.Name}");
                        if (otherWeight == weight)
                        {
                            string.CompareOrdinal(chosen.Name, other.Name).ShouldBeLessThanOrEqualTo(0, "ties go to the lowest name");
                        }
                    }

                    return;
                }

                var none = result.ShouldBeOfType<NoValidBackend>();
                passing.ShouldBeEmpty("a pool passes every rule, yet nothing was placed");
                none.Exclusions.Select(e => e.Pool).ShouldBe(pools.Select(p => p.Name).Order(StringComparer.Ordinal));
                foreach (var exclusion in none.Exclusions)
                {
                    var pool = pools.Single(p => p.Name == exclusion.Pool);
                    var stage = FirstFailure(pool, request)!.Value;
                    ReasonBelongsTo(exclusion.Reason, stage, pool).ShouldBeTrue($"{exclusion.Pool}: \"{exclusion.Reason}\" is not a {stage} reason");
                }

                none.Message.ShouldBe(pools.Length == 0
                    ? "No valid backend was found: no volume backends are configured"
                    : "No valid backend was found: " + string.Join("; ", none.Exclusions.Select(e => $"{e.Pool}: {e.Reason}")));
            },
            iter: 5_000,
            print: t => $"{t.Item1} with extra specs [{string.Join(", ", t.Item1.ExtraSpecs)}]; pools: {string.Join(" | ", t.Item2.Select(Describe))}");
    }

    [Fact]
    public void FilterChain_RandomPools_PassesExactlyWhenNothingToExplain()
    {
        Gen.Select(GenRequest, GenPool).Sample(
            (request, pool) =>
            {
                var filters = FilterChain.For(request, Now);
                var reason = filters.Explain(pool);

                filters.Passes(pool).ShouldBe(reason is null, reason);
                filters.Passes(pool).ShouldBe(FirstFailure(pool, request) is null, reason);
            },
            iter: 5_000);
    }

    [Fact]
    public void Place_ShuffledPools_SameResult()
    {
        var scheduler = new VolumeScheduler();
        Gen.Select(GenRequest, GenPools, Gen.Int).Sample(
            (request, pools, seed) =>
            {
                var shuffled = pools.ToArray();
                new Random(seed).Shuffle(shuffled);

                var first = scheduler.Place(request, pools, Now);
                var second = scheduler.Place(request, shuffled, Now);

                switch (first)
                {
                    case Placed placed:
                        second.ShouldBeOfType<Placed>().Pool.ShouldBeSameAs(placed.Pool);
                        break;
                    case NoValidBackend none:
                        second.ShouldBeOfType<NoValidBackend>().Message.ShouldBe(none.Message);
                        break;
                }
            },
            iter: 2_000);
    }

    private static bool ReasonBelongsTo(string reason, Stage stage, PoolCandidate pool) => stage switch
    {
        Stage.State => reason.StartsWith(pool.State.ToWireName(), StringComparison.Ordinal),
        Stage.RequiredBackend => reason.StartsWith("not the backend of the source snapshot or volume (needs ", StringComparison.Ordinal),
        Stage.Zone => reason == $"in availability zone {pool.AvailabilityZone}, not {pool.AvailabilityZone switch { "nova" => "az2", _ => "nova" }}",
        Stage.Capabilities => reason.StartsWith("capability ", StringComparison.Ordinal),
        _ => new[] { "reports no capacity", "insufficient free capacity: ", "over-subscription limit: ", "insufficient virtual capacity: ", "max_over_subscription_ratio " }
            .Any(prefix => reason.StartsWith(prefix, StringComparison.Ordinal)),
    };

    private static string Describe(PoolCandidate p) =>
        $"{p.Name} {p.State.ToWireName()} az={p.AvailabilityZone} backend={p.VolumeBackendName} {p.StorageProtocol} "
        + $"total={p.Stats.TotalCapacityGb} free={p.Stats.FreeCapacityGb} reserved={p.Stats.ReservedPercentage} "
        + $"provisioned={p.Stats.ProvisionedCapacityGb} ratio={p.Stats.MaxOverSubscriptionRatio} thin={p.Stats.ThinProvisioningSupport} "
        + $"thick={p.Stats.ThickProvisioningSupport} caps=[{string.Join(", ", p.Stats.Capabilities)}]";
}
