using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class CapabilitiesFilterTests
{
    private static readonly Dictionary<string, string> Reported = new()
    {
        ["multiattach"] = "True",
        ["tier"] = "gold",
        ["max_iops"] = "5000",
        ["volume_backend_name"] = "not-this-one",
    };

    [Theory]
    [InlineData("volume_backend_name", "fast", null)]
    [InlineData("volume_backend_name", "slow", "capability volume_backend_name is \"fast\", wanted \"slow\"")]
    [InlineData("capabilities:volume_backend_name", "fast", null)]
    [InlineData("capabilities:volume_backend_name", "slow", "capability volume_backend_name is \"fast\", wanted \"slow\"")]
    [InlineData("volume_backend_name", "<or> slow <or> fast", null)]
    [InlineData("storage_protocol", "iSCSI", null)]
    [InlineData("storage_protocol", "<in> NVMe", "capability storage_protocol is \"iSCSI\", wanted \"<in> NVMe\"")]
    [InlineData("vendor_name", "Kiln", null)]
    [InlineData("vendor_name", "s!= Kiln", "capability vendor_name is \"Kiln\", wanted \"s!= Kiln\"")]
    [InlineData("driver_version", "s>= 1.0", null)]
    [InlineData("driver_version", ">= 1.0", "capability driver_version is \"1.0.0\", wanted \">= 1.0\"")]
    [InlineData("driver_version", "s>= 2.0.0", "capability driver_version is \"1.0.0\", wanted \"s>= 2.0.0\"")]
    [InlineData("pool_name", "fast", null)]
    [InlineData("capabilities:pool_name", "slow", "capability pool_name is \"fast\", wanted \"slow\"")]
    [InlineData("thin_provisioning_support", "<is> True", "capability thin_provisioning_support is \"False\", wanted \"<is> True\"")]
    [InlineData("thin_provisioning_support", "false", null)]
    [InlineData("thin_provisioning_support", "True", "capability thin_provisioning_support is \"False\", wanted \"True\"")]
    [InlineData("thick_provisioning_support", "True", null)]
    [InlineData("thick_provisioning_support", "true", null)]
    [InlineData("capabilities:thick_provisioning_support", "<is> False", "capability thick_provisioning_support is \"True\", wanted \"<is> False\"")]
    [InlineData("multiattach", "<is> True", null)]
    [InlineData("multiattach", "true", null)]
    [InlineData("capabilities:multiattach", "<is> False", "capability multiattach is \"True\", wanted \"<is> False\"")]
    [InlineData("tier", "<in> gol", null)]
    [InlineData("tier", "silver", "capability tier is \"gold\", wanted \"silver\"")]
    [InlineData("max_iops", "= 1000", null)]
    [InlineData("max_iops", ">= 10000", "capability max_iops is \"5000\", wanted \">= 10000\"")]
    [InlineData("replication_enabled", "<is> True", "capability replication_enabled not reported")]
    [InlineData("capabilities:replication_enabled", "<is> False", "capability replication_enabled not reported")]
    // Other scopes belong to other parts of Kiln (capacity, QoS, drivers): ignored here.
    [InlineData("provisioning:type", "thin", null)]
    [InlineData("qos:read_iops_sec", "1000", null)]
    [InlineData("RESKEY:availability_zones", "az9", null)]
    [InlineData("os-vendor:anything", "x", null)]
    public void Place_ExtraSpec_MatchesPoolCapability(string key, string requirement, string? expected)
    {
        var pool = Pool(thin: false, thick: true, capabilities: Reported);

        ReasonFor(pool, Request(10, (key, requirement))).ShouldBe(expected);
    }

    [Fact]
    public void Place_SeveralSpecsFail_NamesTheFirstInKeyOrder()
    {
        var request = Request(10, ("vendor_name", "Other"), ("tier", "silver"), ("capabilities:max_iops", "<= 10"));

        ReasonFor(Pool(capabilities: Reported), request).ShouldBe("capability max_iops is \"5000\", wanted \"<= 10\"");
    }

    [Fact]
    public void Place_ScopedAndUnscopedSameCapability_BothMustMatch()
    {
        var request = Request(10, ("volume_backend_name", "fast"), ("capabilities:volume_backend_name", "slow"));

        ReasonFor(Pool(), request).ShouldBe("capability volume_backend_name is \"fast\", wanted \"slow\"");
    }

    [Fact]
    public void Place_CapabilitiesFailAndNoRoom_ReportsTheCapability() =>
        ReasonFor(Pool(free: 0), Request(10, ("volume_backend_name", "slow")))
            .ShouldBe("capability volume_backend_name is \"fast\", wanted \"slow\"");

    [Fact]
    public void Place_ExtraSpecWithoutValue_Throws()
    {
        var request = Request() with { ExtraSpecs = new Dictionary<string, string> { ["tier"] = null! } };

        Should.Throw<ArgumentException>(() => new VolumeScheduler().Place(request, [Pool()], Now)).Message.ShouldContain("tier");
    }
}
