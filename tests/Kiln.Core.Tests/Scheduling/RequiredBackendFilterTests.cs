using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class RequiredBackendFilterTests
{
    [Theory]
    [InlineData("node@fast#fast", "node@fast", null)]
    [InlineData("node@fast#other-pool", "node@fast", null)]
    [InlineData("node@fast#fast", "node@fast#any", null)]
    [InlineData("node@slow#slow", "node@fast", "not the backend of the source snapshot or volume (needs node@fast)")]
    [InlineData("node@slow#slow", "node@fast#fast", "not the backend of the source snapshot or volume (needs node@fast)")]
    [InlineData("node@fast-2#fast", "node@fast", "not the backend of the source snapshot or volume (needs node@fast)")]
    [InlineData("node@Fast#fast", "node@fast", "not the backend of the source snapshot or volume (needs node@fast)")]
    [InlineData("other@fast#fast", "node@fast", "not the backend of the source snapshot or volume (needs node@fast)")]
    public void Place_RequiredBackend_OnlyThatBackendQualifies(string pool, string required, string? expected) =>
        ReasonFor(Pool(pool), Request() with { RequiredBackendHost = required }).ShouldBe(expected);

    [Fact]
    public void Place_RequiredBackendWithRoomElsewhere_PicksTheBestPoolOfThatBackend()
    {
        PoolCandidate[] pools =
        [
            Pool("node@fast#a", free: 100),
            Pool("node@fast#b", free: 200),
            Pool("node@slow#big", free: 900),
        ];

        var result = new VolumeScheduler().Place(Request() with { RequiredBackendHost = "node@fast" }, pools, Now);

        result.ShouldBeOfType<Placed>().Pool.Name.ShouldBe("node@fast#b");
    }

    [Fact]
    public void Place_RequiredBackendFull_DoesNotFallBackToAnotherBackend()
    {
        PoolCandidate[] pools = [Pool("node@fast#fast", free: 5), Pool("node@slow#slow", free: 900)];

        var result = new VolumeScheduler().Place(Request(10) with { RequiredBackendHost = "node@fast" }, pools, Now);

        result.ShouldBeOfType<NoValidBackend>().Message.ShouldBe(
            "No valid backend was found: node@fast#fast: insufficient free capacity: needs 10 GB, 5 GB free (reserved 0 %); "
            + "node@slow#slow: not the backend of the source snapshot or volume (needs node@fast)");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Place_NoRequiredBackend_AnyBackendQualifies(string? required) =>
        ReasonFor(Pool("node@slow#slow"), Request() with { RequiredBackendHost = required }).ShouldBeNull();
}
