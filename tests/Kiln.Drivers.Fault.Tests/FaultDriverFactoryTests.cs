using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.Fault.Tests;

public sealed class FaultDriverFactoryTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    private static CancellationToken Token => FaultTestBed.Token;

    [Fact]
    public void Name_IsFault() => new FaultDriverFactory().Name.ShouldBe("fault");

    [Fact]
    public void OptionNames_AreTheFaultOptions() =>
        new FaultDriverFactory().OptionNames.ShouldBe(["fault_control_file", "fault_call_log", "fault_capacity_gb", "fault_state_file"], ignoreOrder: true);

    [Fact]
    public void Create_AnyBackend_ReturnsADriverWithAReadinessProbe()
    {
        var factory = new FaultDriverFactory();
        var context = new DriverContext(new BackendSection("fault1", new Dictionary<string, string>()), bed.Time, NullLoggerFactory.Instance);

        factory.Create(context).ShouldBeAssignableTo<IReadinessProbe>();
    }

    [Fact]
    public async Task Create_BadCapacity_DefersTheErrorToSetup()
    {
        var driver = bed.CreateDriver(options: ("fault_capacity_gb", "none"));

        await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(Token));
    }

    [Fact]
    public async Task Create_SameBackendAgain_SeesTheVolumesOfTheEarlierDriver()
    {
        var first = bed.CreateDriver("fault1");
        var volume = new VolumeRef("v1", 10);
        await first.CreateVolumeAsync(volume, Token);
        await first.CreateSnapshotAsync(new SnapshotRef("s1", volume), Token);

        var second = bed.CreateDriver("fault1");

        (await second.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(10);
        await second.InitializeConnectionAsync(volume, new ConnectorInfo(null, null, null), Token);
        await second.DeleteSnapshotAsync(new SnapshotRef("s1", volume), Token);
        await second.DeleteVolumeAsync(volume, Token);
        (await first.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(0);
    }

    [Fact]
    public async Task Create_OtherBackend_DoesNotSeeTheVolumes()
    {
        var fast = bed.CreateDriver("fast");
        var volume = new VolumeRef("v1", 10);
        await fast.CreateVolumeAsync(volume, Token);

        var slow = bed.CreateDriver("slow");

        (await slow.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(0);
        var error = await Should.ThrowAsync<DriverException>(() => slow.InitializeConnectionAsync(volume, new ConnectorInfo(null, null, null), Token));
        error.Message.ShouldBe("volume v1 not found");
        await slow.CreateVolumeAsync(new VolumeRef("v1", 20), Token);
        (await fast.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(10);
    }

    [Fact]
    public async Task Create_NewFactory_StartsEmptyAndStillDeletesOldVolumes()
    {
        // A new factory stands for a restarted process: the volumes are gone, deleting them must not strand.
        var volume = new VolumeRef("v1", 10);
        await bed.CreateDriver("fault1").CreateVolumeAsync(volume, Token);

        var restarted = new FaultDriverFactory().Create(
            new DriverContext(new BackendSection("fault1", new Dictionary<string, string>()), bed.Time, NullLoggerFactory.Instance));

        (await restarted.GetStatsAsync(Token)).Pools[0].AllocatedCapacityGb.ShouldBe(0);
        await restarted.DeleteVolumeAsync(volume, Token);
    }

    public void Dispose() => bed.Dispose();
}
