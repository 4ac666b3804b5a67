using Kiln.Core.Scheduling;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

/// <summary>An extend's growth passes the capacity filter a new volume of that size would: thick by free space, thin by the over-subscription ratio.</summary>
public sealed class ExtendCapacityCheckTests
{
    private static readonly Dictionary<string, string> NoSpecs = [];

    [Fact]
    public void Exclusion_ThickGrowthWithinFreeSpace_Null() =>
        ExtendCapacityCheck.Exclusion(Pool(total: 252, free: 100), 100, NoSpecs).ShouldBeNull();

    [Fact]
    public void Exclusion_ThickGrowthBeyondFreeSpace_TheFiltersReason() =>
        ExtendCapacityCheck.Exclusion(Pool(total: 252, free: 100), 9999, NoSpecs).ShouldBe("insufficient free capacity: needs 9999 GB, 100 GB free (reserved 0 %)");

    [Fact]
    public void Exclusion_ThinGrowthOverTheRatio_OverSubscribed() =>
        ExtendCapacityCheck.Exclusion(Pool(total: 100, free: 90, provisioned: 150, ratio: 2.0, thin: true), 60, NoSpecs)
            .ShouldBe("over-subscription limit: provisioning 60 GB would make 210/100 GB, limit ratio 2.0");

    [Fact]
    public void Exclusion_ThinPoolButTypeAsksThick_CountsFreeSpace() =>
        ExtendCapacityCheck.Exclusion(Pool(total: 100, free: 10, ratio: 20.0, thin: true), 50, new Dictionary<string, string> { ["provisioning:type"] = "thick" })
            .ShouldBe("insufficient free capacity: needs 50 GB, 10 GB free (reserved 0 %)");
}
