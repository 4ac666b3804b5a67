using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class AvailabilityZoneFilterTests
{
    [Theory]
    [InlineData("nova", "nova", null)]
    [InlineData("nova", null, null)]
    [InlineData("nova", "", null)]
    [InlineData("az2", "nova", "in availability zone az2, not nova")]
    [InlineData("Nova", "nova", "in availability zone Nova, not nova")]
    public void Place_ZoneRequested_OnlyPoolsInItQualify(string poolZone, string? wanted, string? expected) =>
        ReasonFor(Pool(zone: poolZone), Request() with { AvailabilityZone = wanted }).ShouldBe(expected);

    [Fact]
    public void Place_WrongZoneAndNoRoom_ReportsTheZone() =>
        ReasonFor(Pool(zone: "az2", free: 0), Request() with { AvailabilityZone = "nova" })
            .ShouldBe("in availability zone az2, not nova");
}
