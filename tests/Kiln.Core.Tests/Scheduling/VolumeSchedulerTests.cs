using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class VolumeSchedulerTests
{
    private readonly VolumeScheduler scheduler = new();

    [Fact]
    public void Place_NoPools_SaysNoBackendsAreConfigured()
    {
        var none = scheduler.Place(Request(), [], Now).ShouldBeOfType<NoValidBackend>();

        none.Message.ShouldBe("No valid backend was found: no volume backends are configured");
        none.Exclusions.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Place_SizeBelowOne_Throws(int size) =>
        Should.Throw<ArgumentOutOfRangeException>(() => scheduler.Place(Request(size), [Pool()], Now));

    [Fact]
    public void Place_NullPool_Throws() =>
        Should.Throw<ArgumentException>(() => scheduler.Place(Request(), [Pool(), null!], Now));

    [Fact]
    public void Place_FailedAndFullBackends_MessageOfTheDesign()
    {
        PoolCandidate[] pools =
        [
            Pool("node@slow#slow", free: 4),
            Pool("node@fast#fast") with
            {
                State = BackendState.Failed,
                StateReason = "DriverException: storage not reachable",
                NextAttemptAt = Now + TimeSpan.FromSeconds(7.5),
            },
        ];

        var none = scheduler.Place(Request(10), pools, Now).ShouldBeOfType<NoValidBackend>();

        none.Message.ShouldBe(
            "No valid backend was found: node@fast#fast: failed (DriverException: storage not reachable), next attempt in 8 s; "
            + "node@slow#slow: insufficient free capacity: needs 10 GB, 4 GB free (reserved 0 %)");
    }

    [Fact]
    public void Place_EveryKindOfExclusion_ListsEachPoolOnceInNameOrder()
    {
        var gold = new Dictionary<string, string> { ["tier"] = "gold" };
        PoolCandidate[] pools =
        [
            Pool("node@zone#p", zone: "az2", capabilities: gold),
            Pool("node@full#p", total: 100, free: 20, reserved: 15, capabilities: gold),
            Pool("node@busy#p", state: BackendState.Initializing, capabilities: gold),
            Pool("node@silver#p", capabilities: new Dictionary<string, string> { ["tier"] = "silver" }),
            Pool("node@thin#p", total: 1000, free: 800, provisioned: 1995, ratio: 2, thin: true, capabilities: gold),
            Pool("node@bad#p", state: BackendState.Unrecoverable, capabilities: gold) with { StateReason = "DriverConfigurationException: [bad] san_ip missing" },
            Pool("node@empty#p", total: 0, free: 0, capabilities: gold),
            Pool("node@tired#p", state: BackendState.GaveUp, capabilities: gold) with { StateReason = "DriverException: login failed" },
            Pool("node@plain#p"),
            Pool("node@down#p", state: BackendState.Failed, capabilities: gold) with
            {
                StateReason = "DriverException: storage not reachable: ready file /x does not exist",
                NextAttemptAt = Now + TimeSpan.FromSeconds(2.01),
            },
        ];
        var request = Request(10, ("tier", "<or> gold <or> platinum"), ("provisioning:type", "thin")) with { AvailabilityZone = "nova" };

        var none = scheduler.Place(request, pools, Now).ShouldBeOfType<NoValidBackend>();

        none.Message.ShouldBe(
            "No valid backend was found: "
            + "node@bad#p: unrecoverable (DriverConfigurationException: [bad] san_ip missing), waiting for an operator; "
            + "node@busy#p: initializing; "
            + "node@down#p: failed (DriverException: storage not reachable: ready file /x does not exist), next attempt in 3 s; "
            + "node@empty#p: reports no capacity; "
            + "node@full#p: insufficient free capacity: needs 10 GB, 5 GB free (reserved 15 %); "
            + "node@plain#p: capability tier not reported; "
            + "node@silver#p: capability tier is \"silver\", wanted \"<or> gold <or> platinum\"; "
            + "node@thin#p: over-subscription limit: provisioning 10 GB would make 2005/1000 GB, limit ratio 2.0; "
            + "node@tired#p: gave_up (DriverException: login failed), waiting for an operator; "
            + "node@zone#p: in availability zone az2, not nova");
        none.Exclusions.Select(e => e.Pool).ShouldBe(pools.Select(p => p.Name).Order(StringComparer.Ordinal));
        none.Exclusions[0].ShouldBe(new Exclusion("node@bad#p", "unrecoverable (DriverConfigurationException: [bad] san_ip missing), waiting for an operator"));
    }

    [Fact]
    public void Place_SourceBackendDown_SaysSoForItAndWhyNotForTheOthers()
    {
        PoolCandidate[] pools =
        [
            Pool("node@src#p", state: BackendState.Failed) with { StateReason = "DriverException: array busy", NextAttemptAt = Now },
            Pool("node@other#p"),
        ];

        var none = scheduler.Place(Request(10) with { RequiredBackendHost = "node@src#p" }, pools, Now).ShouldBeOfType<NoValidBackend>();

        none.Message.ShouldBe(
            "No valid backend was found: node@other#p: not the backend of the source snapshot or volume (needs node@src); "
            + "node@src#p: failed (DriverException: array busy), next attempt now");
    }

    [Fact]
    public void Place_DegradedPoolWithRoom_IsPlacedThere()
    {
        PoolCandidate[] pools =
        [
            Pool("node@a#p", free: 900, state: BackendState.Failed),
            Pool("node@b#p", free: 100, state: BackendState.Degraded),
        ];

        scheduler.Place(Request(), pools, Now).ShouldBeOfType<Placed>().Pool.Name.ShouldBe("node@b#p");
    }

    [Fact]
    public void Place_SameNameTwice_BothListed()
    {
        PoolCandidate[] pools = [Pool("node@a#p", free: 1), Pool("node@a#p", state: BackendState.Stopped)];

        var none = scheduler.Place(Request(10), pools, Now).ShouldBeOfType<NoValidBackend>();

        none.Exclusions.Select(e => e.Reason).ShouldBe(["insufficient free capacity: needs 10 GB, 1 GB free (reserved 0 %)", "stopped"]);
    }

    [Fact]
    public void Place_ExtraSpecsInAnyOrder_SameReason()
    {
        var forward = Request(10, ("a_missing", "x"), ("b_missing", "y"));
        var backward = Request(10, ("b_missing", "y"), ("a_missing", "x"));

        ReasonFor(Pool(), forward).ShouldBe("capability a_missing not reported");
        ReasonFor(Pool(), backward).ShouldBe("capability a_missing not reported");
    }
}
