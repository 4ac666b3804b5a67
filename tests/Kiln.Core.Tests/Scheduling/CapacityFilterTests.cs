using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class CapacityFilterTests
{
    [Theory]
    // Thick: free minus reserved must hold the volume.
    [InlineData(100, 10, 0, 0, 1.0, false, null, 10, null)]
    [InlineData(100, 4, 0, 0, 1.0, false, null, 10, "insufficient free capacity: needs 10 GB, 4 GB free (reserved 0 %)")]
    [InlineData(55, 10, 10, 0, 1.0, false, null, 10, "insufficient free capacity: needs 10 GB, 4.5 GB free (reserved 10 %)")]
    [InlineData(100, 20, 10, 0, 1.0, false, null, 10, null)]
    [InlineData(100, 19.999, 10, 0, 1.0, false, null, 10, "insufficient free capacity: needs 10 GB, 9.99 GB free (reserved 10 %)")]
    [InlineData(1000, 50, 10, 0, 1.0, false, null, 10, "insufficient free capacity: needs 10 GB, 0 GB free (reserved 10 %)")]
    [InlineData(100, 100, 0, 5000, 1.0, false, null, 10, null)]
    // Unknown or empty capacity never looks like room.
    [InlineData(0, 100, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(-1, 100, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(double.NaN, 100, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(double.PositiveInfinity, 100, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(100, double.NaN, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(100, double.PositiveInfinity, 0, 0, 1.0, false, null, 1, "reports no capacity")]
    [InlineData(0, 0, 0, 0, 20.0, true, null, 1, "reports no capacity")]
    [InlineData(100, 100, 0, double.NaN, 2.0, true, null, 1, "reports no capacity")]
    // Thin: room under the over-subscription ratio, and some real free space.
    [InlineData(1000, 500, 0, 1010, 1.0, true, null, 10, "over-subscription limit: provisioning 10 GB would make 1020/1000 GB, limit ratio 1.0")]
    [InlineData(1000, 500, 0, 990, 1.0, true, null, 10, null)]
    [InlineData(1000, 500, 0, 1990.5, 2.0, true, null, 10, "over-subscription limit: provisioning 10 GB would make 2000.5/1000 GB, limit ratio 2.0")]
    [InlineData(1000, 5, 0, 0, 20.0, true, null, 10, null)]
    [InlineData(1000, 0, 0, 0, 20.0, true, null, 10, "insufficient free capacity: needs 10 GB, 0 GB free (reserved 0 %)")]
    [InlineData(1000, 50, 10, 0, 20.0, true, null, 10, "insufficient free capacity: needs 10 GB, 0 GB free (reserved 10 %)")]
    [InlineData(1000, 500, 10, 995, 1.0, true, null, 5, "insufficient virtual capacity: needs 5 GB, 0 GB virtual free (ratio 1.0, reserved 10 %)")]
    [InlineData(1000, 500, 10, 1880, 2.0, true, null, 25, "insufficient virtual capacity: needs 25 GB, 20 GB virtual free (ratio 2.0, reserved 10 %)")]
    [InlineData(1000, 500, 10, 1880, 2.0, true, null, 20, null)]
    [InlineData(1000, 500, 0, 0, 0.5, true, null, 10, "max_over_subscription_ratio 0.5 is invalid for thin provisioning (at least 1.0)")]
    [InlineData(1000, 500, 0, 0, double.NaN, true, null, 10, "max_over_subscription_ratio NaN is invalid for thin provisioning (at least 1.0)")]
    [InlineData(1000, 500, 0, 0, 1.25, true, null, 10, null)]
    // provisioning:type=thick counts real free space even on a thin pool; thin on a thick-only pool counts free space too.
    [InlineData(1000, 5, 0, 0, 20.0, true, "thick", 10, "insufficient free capacity: needs 10 GB, 5 GB free (reserved 0 %)")]
    [InlineData(1000, 5, 0, 0, 20.0, true, "Thick ", 10, "insufficient free capacity: needs 10 GB, 5 GB free (reserved 0 %)")]
    [InlineData(1000, 500, 0, 5000, 0.5, true, "thick", 10, null)]
    [InlineData(1000, 5, 0, 0, 20.0, true, "thin", 10, null)]
    [InlineData(1000, 5, 0, 0, 20.0, false, "thin", 10, "insufficient free capacity: needs 10 GB, 5 GB free (reserved 0 %)")]
    public void Place_PoolCapacity_FitsLikeCinder(
        double total, double free, int reserved, double provisioned, double ratio, bool thin, string? provisioningType, int size, string? expected)
    {
        var pool = Pool(total: total, free: free, reserved: reserved, provisioned: provisioned, ratio: ratio, thin: thin);
        var request = provisioningType is null ? Request(size) : Request(size, ("provisioning:type", provisioningType));

        ReasonFor(pool, request).ShouldBe(expected);
    }
}
