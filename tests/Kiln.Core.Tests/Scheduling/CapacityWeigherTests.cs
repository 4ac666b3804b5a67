using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class CapacityWeigherTests
{
    private static string PlacedOn(PlacementRequest request, params PoolCandidate[] pools) =>
        new VolumeScheduler().Place(request, pools, Now).ShouldBeOfType<Placed>().Pool.Name;

    [Fact]
    public void Place_ThickPools_MostFreeWins() =>
        PlacedOn(Request(), Pool("n@a#p", free: 300), Pool("n@b#p", free: 700), Pool("n@c#p", free: 500)).ShouldBe("n@b#p");

    [Fact]
    public void Place_ThickPools_ReservedSpaceIsNotFree() =>
        // a: 800 − 50 % of 1000 = 300 free; b: 400 free.
        PlacedOn(Request(), Pool("n@a#p", free: 800, reserved: 50), Pool("n@b#p", free: 400)).ShouldBe("n@b#p");

    [Fact]
    public void Place_ThinPool_WeighedByVirtualFreeCapacity() =>
        // Thin: 100 · 20 − 0 = 2000 virtual free, beats 1000 real free.
        PlacedOn(Request(), Pool("n@thin#p", total: 100, free: 50, ratio: 20, thin: true), Pool("n@thick#p", free: 1000))
            .ShouldBe("n@thin#p");

    [Fact]
    public void Place_ThinPoolWithProvisionedSpace_CountsWhatIsAlreadyPromised() =>
        // Thin: 1000 · 2 − 1500 − 0 = 500 virtual free, loses to 600 real free.
        PlacedOn(Request(), Pool("n@thin#p", free: 900, provisioned: 1500, ratio: 2, thin: true), Pool("n@thick#p", free: 600))
            .ShouldBe("n@thick#p");

    [Fact]
    public void Place_ThickRequested_ThinPoolWeighedByRealFreeCapacity() =>
        PlacedOn(
            Request(10, ("provisioning:type", "thick")),
            Pool("n@thin#p", total: 100, free: 50, ratio: 20, thin: true),
            Pool("n@thick#p", free: 1000))
            .ShouldBe("n@thick#p");

    [Fact]
    public void Place_EqualWeight_LowestNameWinsWhateverTheOrder()
    {
        var a = Pool("node@a#p", free: 500);
        var b = Pool("node@b#p", free: 500);
        var c = Pool("node@c#p", free: 500);

        PlacedOn(Request(), a, b, c).ShouldBe("node@a#p");
        PlacedOn(Request(), c, b, a).ShouldBe("node@a#p");
        PlacedOn(Request(), b, c, a).ShouldBe("node@a#p");
    }

    [Fact]
    public void Place_EqualWeight_NamesCompareOrdinally() =>
        // Ordinal: 'B' (0x42) sorts before 'a' (0x61); a culture-aware comparison would pick node@a.
        PlacedOn(Request(), Pool("node@a#p", free: 500), Pool("node@B#p", free: 500)).ShouldBe("node@B#p");

    [Fact]
    public void Place_EqualWeight_ComparesTheFullPoolName() =>
        // "n@a!#p" < "n@a#p" because '!' < '#', although host "n@a" < "n@a!".
        PlacedOn(Request(), Pool("n@a#p", free: 500), Pool("n@a!#p", free: 500)).ShouldBe("n@a!#p");

    [Fact]
    public void Place_BestPoolFailsAFilter_NextBestWins() =>
        PlacedOn(
            Request(10) with { AvailabilityZone = "nova" },
            Pool("n@big#p", free: 900, zone: "az2"),
            Pool("n@small#p", free: 100),
            Pool("n@down#p", free: 950) with { State = BackendState.Failed })
            .ShouldBe("n@small#p");
}
