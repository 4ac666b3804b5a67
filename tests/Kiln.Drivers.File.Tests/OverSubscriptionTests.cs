using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;

namespace Kiln.Drivers.File.Tests;

/// <summary>The file driver's real stats drive the scheduler: a thin pool is promised up to the ratio and no further.</summary>
public sealed class OverSubscriptionTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task Place_SmallTmpfsPool_OverSubscribedUpToTheRatioThenRefused()
    {
        // 64 MiB reports as 0.06 GB; ratio 20 promises 1.2 GB: one 1 GB volume fits, a second does not.
        await Mounts.MountTmpfsAsync(bed.VolumesDir);
        var driver = await bed.ReadyDriverAsync(("max_over_subscription_ratio", "20"));
        var scheduler = new VolumeScheduler();

        var first = scheduler.Place(new PlacementRequest { SizeGb = 1 }, await CandidatesAsync(driver), bed.Time.GetUtcNow());
        await driver.CreateVolumeAsync(new VolumeRef("v1", 1), FileTestBed.Token);
        var stats = (await driver.GetStatsAsync(FileTestBed.Token)).Pools.Single();
        var second = scheduler.Place(new PlacementRequest { SizeGb = 1 }, await CandidatesAsync(driver), bed.Time.GetUtcNow());

        first.ShouldBeOfType<Placed>();
        stats.TotalCapacityGb.ShouldBe(0.06);
        stats.ProvisionedCapacityGb.ShouldBe(1.0);
        stats.FreeCapacityGb.ShouldBe(0.06, "the 1 GB volume is sparse: it takes no space yet");
        second.ShouldBeOfType<NoValidBackend>().Message.ShouldEndWith(
            "node@file1#file1: over-subscription limit: provisioning 1 GB would make 2/0.06 GB, limit ratio 20.0");
    }

    private static async Task<IReadOnlyList<PoolCandidate>> CandidatesAsync(FileDriver driver)
    {
        var stats = await driver.GetStatsAsync(FileTestBed.Token);
        var snapshot = new BackendSnapshot
        {
            Host = "node@file1",
            BackendName = "file1",
            State = BackendState.Ready,
            Since = DateTimeOffset.UnixEpoch,
            Stats = stats,
        };
        return PoolCandidate.FromSnapshot(snapshot, "nova");
    }
}
