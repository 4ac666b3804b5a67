using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed class VolumeOperationTests : IDisposable
{
    private static readonly ConnectorInfo Connector = new("compute1", "iqn.2026-03.org.example:compute1", "192.0.2.10");

    private readonly FaultTestBed bed = new();
    private readonly FaultDriver driver;

    public VolumeOperationTests() => driver = bed.CreateDriver(options: ("fault_capacity_gb", "100"));

    private static CancellationToken Token => FaultTestBed.Token;

    [Fact]
    public async Task CreateVolumeAsync_WithinCapacity_AllocatesAndReturnsItsLocation()
    {
        var update = await driver.CreateVolumeAsync(new VolumeRef("v1", 30), Token);

        update.ProviderLocation.ShouldBe("fault://fault1/v1");
        await AllocatedShouldBeAsync(30);
    }

    [Fact]
    public async Task CreateVolumeAsync_BeyondFreeCapacity_FailsAndAllocatesNothing()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 60), Token);

        await ShouldFailAsync(() => driver.CreateVolumeAsync(new VolumeRef("v2", 50), Token), "insufficient capacity: 50 GB requested, 40 GB free");

        await AllocatedShouldBeAsync(60);
        await ShouldFailAsync(() => driver.InitializeConnectionAsync(new VolumeRef("v2", 50), Connector, Token), "volume v2 not found");
    }

    [Fact]
    public async Task CreateVolumeAsync_ExactlyTheFreeCapacity_SucceedsAndLeavesNone()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 100), Token);

        await ShouldFailAsync(() => driver.CreateVolumeAsync(new VolumeRef("v2", 1), Token), "insufficient capacity: 1 GB requested, 0 GB free");
        await AllocatedShouldBeAsync(100);
    }

    [Fact]
    public async Task CreateVolumeAsync_SameIdAndSizeTwice_AllocatesOnce()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 10), Token);

        var update = await driver.CreateVolumeAsync(new VolumeRef("v1", 10), Token);

        update.ProviderLocation.ShouldBe("fault://fault1/v1");
        await AllocatedShouldBeAsync(10);
    }

    [Fact]
    public async Task CreateVolumeAsync_SameIdOtherSize_Fails()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 10), Token);

        await ShouldFailAsync(() => driver.CreateVolumeAsync(new VolumeRef("v1", 20), Token), "volume v1 already exists with 10 GB, 20 GB requested");
        await AllocatedShouldBeAsync(10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task CreateVolumeAsync_SizeBelowOneGb_Fails(int sizeGb)
    {
        await ShouldFailAsync(() => driver.CreateVolumeAsync(new VolumeRef("v1", sizeGb), Token), $"cannot create volume v1 of {sizeGb} GB: size must be at least 1 GB");
        await AllocatedShouldBeAsync(0);
    }

    [Fact]
    public async Task CreateVolumeAsync_AllocationNearIntMaxValue_DoesNotOverflow()
    {
        var huge = bed.CreateDriver("huge", ("fault_capacity_gb", $"{int.MaxValue}"));
        await huge.CreateVolumeAsync(new VolumeRef("v1", int.MaxValue - 1), Token);

        await huge.CreateVolumeAsync(new VolumeRef("v2", 1), Token);
        await ShouldFailAsync(() => huge.CreateVolumeAsync(new VolumeRef("v3", int.MaxValue), Token), $"insufficient capacity: {int.MaxValue} GB requested, 0 GB free");
        await ShouldFailAsync(() => huge.ExtendVolumeAsync(new VolumeRef("v2", 1), int.MaxValue, Token), $"insufficient capacity: {int.MaxValue - 1} GB requested, 0 GB free");

        var pool = (await huge.GetStatsAsync(Token)).Pools.ShouldHaveSingleItem();
        pool.AllocatedCapacityGb.ShouldBe(int.MaxValue);
        pool.FreeCapacityGb.ShouldBe(0);
    }

    [Fact]
    public async Task DeleteVolumeAsync_KnownVolume_FreesItsCapacity()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 40), Token);
        await driver.CreateVolumeAsync(new VolumeRef("v2", 25), Token);

        await driver.DeleteVolumeAsync(new VolumeRef("v1", 40), Token);

        await AllocatedShouldBeAsync(25);
        await ShouldFailAsync(() => driver.InitializeConnectionAsync(new VolumeRef("v1", 40), Connector, Token), "volume v1 not found");
        await driver.CreateVolumeAsync(new VolumeRef("v3", 75), Token);
    }

    [Fact]
    public async Task DeleteVolumeAsync_UnknownVolume_Succeeds()
    {
        await driver.CreateVolumeAsync(new VolumeRef("v1", 5), Token);

        await driver.DeleteVolumeAsync(new VolumeRef("never-created", 5), Token);
        await driver.DeleteVolumeAsync(new VolumeRef("v1", 5), Token);
        await driver.DeleteVolumeAsync(new VolumeRef("v1", 5), Token);

        await AllocatedShouldBeAsync(0);
    }

    [Fact]
    public async Task DeleteVolumeAsync_VolumeWithSnapshot_FailsUntilTheSnapshotIsDeleted()
    {
        var volume = new VolumeRef("v1", 10);
        var snapshot = new SnapshotRef("s1", volume);
        await driver.CreateVolumeAsync(volume, Token);
        await driver.CreateSnapshotAsync(snapshot, Token);

        await ShouldFailAsync(() => driver.DeleteVolumeAsync(volume, Token), "volume v1 has dependent snapshots");
        await AllocatedShouldBeAsync(10);

        await driver.DeleteSnapshotAsync(snapshot, Token);
        await driver.DeleteVolumeAsync(volume, Token);
        await AllocatedShouldBeAsync(0);
    }

    [Fact]
    public async Task ExtendVolumeAsync_Larger_AllocatesTheDifference()
    {
        var volume = new VolumeRef("v1", 10);
        await driver.CreateVolumeAsync(volume, Token);

        await driver.ExtendVolumeAsync(volume, 35, Token);

        await AllocatedShouldBeAsync(35);
        await driver.DeleteVolumeAsync(volume, Token);
        await AllocatedShouldBeAsync(0);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(4)]
    public async Task ExtendVolumeAsync_NotLarger_Fails(int newSizeGb)
    {
        var volume = new VolumeRef("v1", 10);
        await driver.CreateVolumeAsync(volume, Token);

        await ShouldFailAsync(() => driver.ExtendVolumeAsync(volume, newSizeGb, Token), $"cannot extend volume v1 to {newSizeGb} GB: new size must be larger than 10 GB");
        await AllocatedShouldBeAsync(10);
    }

    [Fact]
    public async Task ExtendVolumeAsync_BeyondCapacity_FailsAndKeepsTheOldSize()
    {
        var volume = new VolumeRef("v1", 50);
        await driver.CreateVolumeAsync(volume, Token);
        await driver.CreateVolumeAsync(new VolumeRef("v2", 30), Token);

        await ShouldFailAsync(() => driver.ExtendVolumeAsync(volume, 80, Token), "insufficient capacity: 30 GB requested, 20 GB free");

        await AllocatedShouldBeAsync(80);
        await driver.ExtendVolumeAsync(volume, 70, Token);
        await AllocatedShouldBeAsync(100);
    }

    [Fact]
    public async Task ExtendVolumeAsync_UnknownVolume_Fails() =>
        await ShouldFailAsync(() => driver.ExtendVolumeAsync(new VolumeRef("nope", 1), 2, Token), "volume nope not found");

    [Fact]
    public async Task CreateCloneAsync_KnownSource_AllocatesTheClone()
    {
        var source = new VolumeRef("src", 20);
        await driver.CreateVolumeAsync(source, Token);

        var update = await driver.CreateCloneAsync(new VolumeRef("copy", 25), source, Token);

        update.ProviderLocation.ShouldBe("fault://fault1/copy");
        await AllocatedShouldBeAsync(45);
    }

    [Fact]
    public async Task CreateCloneAsync_UnknownSource_Fails()
    {
        await ShouldFailAsync(() => driver.CreateCloneAsync(new VolumeRef("copy", 5), new VolumeRef("src", 5), Token), "volume src not found");
        await AllocatedShouldBeAsync(0);
    }

    [Fact]
    public async Task CreateCloneAsync_SmallerThanSource_Fails()
    {
        var source = new VolumeRef("src", 20);
        await driver.CreateVolumeAsync(source, Token);

        await ShouldFailAsync(() => driver.CreateCloneAsync(new VolumeRef("copy", 10), source, Token), "requested size 10 GB is smaller than source volume src (20 GB)");
        await AllocatedShouldBeAsync(20);
    }

    [Fact]
    public async Task CreateCloneAsync_BeyondCapacity_Fails()
    {
        var source = new VolumeRef("src", 60);
        await driver.CreateVolumeAsync(source, Token);

        await ShouldFailAsync(() => driver.CreateCloneAsync(new VolumeRef("copy", 60), source, Token), "insufficient capacity: 60 GB requested, 40 GB free");
        await AllocatedShouldBeAsync(60);
    }

    [Fact]
    public async Task CreateSnapshotAsync_KnownVolume_UsesNoCapacity()
    {
        var volume = new VolumeRef("v1", 30);
        await driver.CreateVolumeAsync(volume, Token);

        await driver.CreateSnapshotAsync(new SnapshotRef("s1", volume), Token);
        await driver.CreateSnapshotAsync(new SnapshotRef("s1", volume), Token);

        await AllocatedShouldBeAsync(30);
    }

    [Fact]
    public async Task CreateSnapshotAsync_UnknownVolume_Fails() =>
        await ShouldFailAsync(() => driver.CreateSnapshotAsync(new SnapshotRef("s1", new VolumeRef("nope", 1)), Token), "volume nope not found");

    [Fact]
    public async Task CreateSnapshotAsync_IdTakenByAnotherVolume_Fails()
    {
        var first = new VolumeRef("v1", 1);
        var second = new VolumeRef("v2", 1);
        await driver.CreateVolumeAsync(first, Token);
        await driver.CreateVolumeAsync(second, Token);
        await driver.CreateSnapshotAsync(new SnapshotRef("s1", first), Token);

        await ShouldFailAsync(() => driver.CreateSnapshotAsync(new SnapshotRef("s1", second), Token), "snapshot s1 already exists for volume v1");
        await driver.DeleteVolumeAsync(second, Token);
    }

    [Fact]
    public async Task DeleteSnapshotAsync_UnknownSnapshot_Succeeds() =>
        await driver.DeleteSnapshotAsync(new SnapshotRef("never-taken", new VolumeRef("nope", 1)), Token);

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_KnownSnapshot_AllocatesTheNewVolume()
    {
        var volume = new VolumeRef("v1", 10);
        var snapshot = new SnapshotRef("s1", volume);
        await driver.CreateVolumeAsync(volume, Token);
        await driver.CreateSnapshotAsync(snapshot, Token);

        var update = await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("restored", 15), snapshot, Token);

        update.ProviderLocation.ShouldBe("fault://fault1/restored");
        await AllocatedShouldBeAsync(25);
    }

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_SmallerThanSnapshot_Fails()
    {
        var volume = new VolumeRef("v1", 10);
        var snapshot = new SnapshotRef("s1", volume);
        await driver.CreateVolumeAsync(volume, Token);
        await driver.CreateSnapshotAsync(snapshot, Token);

        await ShouldFailAsync(() => driver.CreateVolumeFromSnapshotAsync(new VolumeRef("restored", 9), snapshot, Token), "requested size 9 GB is smaller than snapshot s1 (10 GB)");
        await AllocatedShouldBeAsync(10);
    }

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_VolumeExtendedAfterSnapshot_UsesTheSnapshotSize()
    {
        var volume = new VolumeRef("v1", 10);
        await driver.CreateVolumeAsync(volume, Token);
        await driver.CreateSnapshotAsync(new SnapshotRef("s1", volume), Token);
        await driver.ExtendVolumeAsync(volume, 40, Token);

        // The caller's SnapshotRef may carry the volume's new size; the snapshot was taken at 10 GB.
        await driver.CreateVolumeFromSnapshotAsync(new VolumeRef("restored", 10), new SnapshotRef("s1", volume with { SizeGb = 40 }), Token);

        await AllocatedShouldBeAsync(50);
    }

    [Fact]
    public async Task CreateVolumeFromSnapshotAsync_UnknownSnapshot_Fails()
    {
        await ShouldFailAsync(
            () => driver.CreateVolumeFromSnapshotAsync(new VolumeRef("restored", 1), new SnapshotRef("s9", new VolumeRef("v1", 1)), Token),
            "snapshot s9 not found");
        await AllocatedShouldBeAsync(0);
    }

    [Fact]
    public async Task InitializeConnectionAsync_KnownVolume_ReturnsFaultConnectionInfo()
    {
        var volume = new VolumeRef("v1", 1);
        await driver.CreateVolumeAsync(volume, Token);

        var connection = await driver.InitializeConnectionAsync(volume, Connector, Token);

        connection.DriverVolumeType.ShouldBe("fault");
        connection.Data.ShouldBe(new Dictionary<string, object?> { ["volume_id"] = "v1", ["backend_name"] = "fault1" });
    }

    [Fact]
    public async Task InitializeConnectionAsync_UnknownVolume_Fails() =>
        await ShouldFailAsync(() => driver.InitializeConnectionAsync(new VolumeRef("nope", 1), Connector, Token), "volume nope not found");

    [Fact]
    public async Task TerminateConnectionAsync_UnknownVolume_Succeeds() =>
        await driver.TerminateConnectionAsync(new VolumeRef("nope", 1), Connector, Token);

    [Theory]
    [MemberData(nameof(DriverCalls.OperationNames), MemberType = typeof(DriverCalls))]
    public async Task EveryOperation_OpsFail_ThrowsRecoverableAndChangesNothing(string method)
    {
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl("""{"ops": "fail"}""");

        await ShouldFailAsync(() => DriverCalls.InvokeAsync(driver, method, Token), "operation failure (fault_control_file ops=fail)");

        bed.WriteControl("{}");
        await AllocatedShouldBeAsync(DriverCalls.Seed.SizeGb);
        await ShouldFailAsync(() => driver.DeleteVolumeAsync(DriverCalls.Seed, Token), "volume seed has dependent snapshots");
    }

    [Theory]
    [MemberData(nameof(DriverCalls.OperationNames), MemberType = typeof(DriverCalls))]
    public async Task EveryOperation_OpsHang_WaitsUntilCancelledAndChangesNothing(string method)
    {
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl("""{"ops": "hang"}""");
        using var cancel = new CancellationTokenSource();

        var call = DriverCalls.InvokeAsync(driver, method, cancel.Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        bed.WriteControl("{}");
        await AllocatedShouldBeAsync(DriverCalls.Seed.SizeGb);
    }

    [Theory]
    [MemberData(nameof(DriverCalls.OperationNames), MemberType = typeof(DriverCalls))]
    public async Task EveryOperation_OpsUnsupported_ThrowsNotSupportedNamingTheCallAndChangesNothing(string method)
    {
        await DriverCalls.SeedAsync(driver);
        bed.WriteControl("""{"ops": "unsupported"}""");

        var error = await Should.ThrowAsync<NotSupportedException>(() => DriverCalls.InvokeAsync(driver, method, Token));

        error.Message.ShouldContain("(fault_control_file ops=unsupported)");
        bed.WriteControl("{}");
        await AllocatedShouldBeAsync(DriverCalls.Seed.SizeGb);
    }

    private static async Task ShouldFailAsync(Func<Task> call, string message)
    {
        var error = await Should.ThrowAsync<DriverException>(call);
        error.ShouldBeOfType<DriverException>();
        error.Message.ShouldBe(message);
    }

    private async Task AllocatedShouldBeAsync(int allocatedGb)
    {
        var pool = (await driver.GetStatsAsync(Token)).Pools.ShouldHaveSingleItem();
        pool.AllocatedCapacityGb.ShouldBe(allocatedGb);
        pool.ProvisionedCapacityGb.ShouldBe(allocatedGb);
        pool.FreeCapacityGb.ShouldBe(pool.TotalCapacityGb - allocatedGb);
    }

    public void Dispose() => bed.Dispose();
}
