using CsCheck;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class PoolCandidateTests
{
    private static readonly BackendSnapshot Failed = new()
    {
        Host = "node@fast",
        BackendName = "fast",
        State = BackendState.Failed,
        Since = Now - TimeSpan.FromMinutes(1),
        ErrorClass = "DriverException",
        ErrorMessage = "storage not reachable",
        NextAttemptAt = Now + TimeSpan.FromSeconds(8),
    };

    [Fact]
    public void Name_HostAndPool_JoinedWithHash() =>
        Pool("node@fast#gold").Name.ShouldBe("node@fast#gold");

    [Fact]
    public void FromSnapshot_NoStatsYet_OneCandidateNamedAfterTheBackend()
    {
        var candidate = PoolCandidate.FromSnapshot(Failed, "nova").ShouldHaveSingleItem();

        candidate.Name.ShouldBe("node@fast#fast");
        candidate.StateReason.ShouldBe("DriverException: storage not reachable");
        candidate.NextAttemptAt.ShouldBe(Failed.NextAttemptAt);
        candidate.AvailabilityZone.ShouldBe("nova");
        candidate.Stats.TotalCapacityGb.ShouldBe(0);
    }

    [Fact]
    public void FromSnapshot_FailedBackendWithoutStats_ExplainedInTheMessage()
    {
        var none = new VolumeScheduler().Place(Request(10), PoolCandidate.FromSnapshot(Failed, "nova"), Now).ShouldBeOfType<NoValidBackend>();

        none.Message.ShouldBe("No valid backend was found: node@fast#fast: failed (DriverException: storage not reachable), next attempt in 8 s");
    }

    [Fact]
    public void FromSnapshot_ReadyWithOnePool_AllocatesOnlyTheCandidateAndItsArray()
    {
        // The server builds every backend's candidates for each placement: with 1,000 backends a
        // throw-away template, placeholder stats or copies per pool cost more than the choice itself.
        var pool = new PoolStats { PoolName = "a", TotalCapacityGb = 10 };
        var snapshot = Failed with
        {
            State = BackendState.Ready,
            ErrorClass = null,
            NextAttemptAt = null,
            Stats = new BackendStats { VolumeBackendName = "fast", Pools = [pool] },
        };
        var byHand = BytesOf(() => new[]
        {
            new PoolCandidate
            {
                BackendHost = snapshot.Host, PoolName = "a", State = BackendState.Ready, Stats = pool, VolumeBackendName = "fast",
                AvailabilityZone = "nova", StorageProtocol = "iSCSI", VendorName = "Kiln", DriverVersion = "1.0.0",
            },
        });

        BytesOf(() => PoolCandidate.FromSnapshot(snapshot, "nova")).ShouldBe(byHand);
    }

    [Fact]
    public void FromSnapshot_ReadyWithPools_OneCandidatePerPoolWithBackendFields()
    {
        var snapshot = Failed with
        {
            State = BackendState.Ready,
            ErrorClass = null,
            NextAttemptAt = null,
            Stats = new BackendStats
            {
                VolumeBackendName = "fast-ssd",
                VendorName = "Acme",
                DriverVersion = "2.1",
                StorageProtocol = "NVMe",
                Pools = [new PoolStats { PoolName = "a", TotalCapacityGb = 10 }, new PoolStats { PoolName = "b", TotalCapacityGb = 20 }],
            },
        };

        var candidates = PoolCandidate.FromSnapshot(snapshot, "az2");

        candidates.Select(c => c.Name).ShouldBe(["node@fast#a", "node@fast#b"]);
        candidates.Select(c => c.Stats.TotalCapacityGb).ShouldBe([10.0, 20.0]);
        candidates.ShouldAllBe(c => c.VolumeBackendName == "fast-ssd" && c.VendorName == "Acme" && c.DriverVersion == "2.1"
            && c.StorageProtocol == "NVMe" && c.AvailabilityZone == "az2" && c.State == BackendState.Ready && c.StateReason == null);
    }

    [Fact]
    public void Compare_AnyTwoPools_AgreesWithOrdinalComparisonOfNames()
    {
        var part = Gen.String[Gen.Char["!#-@AZaz"], 0, 4];
        Gen.Select(part, part, part, part).Sample((hostX, poolX, hostY, poolY) =>
        {
            var x = Pool() with { BackendHost = hostX, PoolName = poolX };
            var y = Pool() with { BackendHost = hostY, PoolName = poolY };

            Math.Sign(PoolNames.Compare(x, y)).ShouldBe(Math.Sign(string.CompareOrdinal(x.Name, y.Name)));
        });
    }

    private static long BytesOf(Func<object> build)
    {
        build();
        var least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(build());
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
