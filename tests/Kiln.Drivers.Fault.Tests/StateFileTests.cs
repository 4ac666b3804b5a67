using System.Text.Json;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

/// <summary><c>fault_state_file</c>: the backend's volumes on disk, readable by a test and kept across a restart.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    private static CancellationToken Token => FaultTestBed.Token;

    private string StatePath => bed.PathOf("state.json");

    [Fact]
    public async Task VolumeOperations_WithStateFile_FileHoldsExactlyWhatTheDriverHolds()
    {
        var driver = bed.CreateDriver(options: ("fault_state_file", StatePath));

        await driver.CreateVolumeAsync(new VolumeRef("v1", 2), Token);
        await driver.CreateVolumeAsync(new VolumeRef("v2", 1), Token);
        await driver.ExtendVolumeAsync(new VolumeRef("v1", 2), 5, Token);
        await driver.CreateSnapshotAsync(new SnapshotRef("s1", new VolumeRef("v1", 5)), Token);
        await driver.CreateCloneAsync(new VolumeRef("v3", 5), new VolumeRef("v1", 5), Token);
        await driver.DeleteVolumeAsync(new VolumeRef("v2", 1), Token);

        var (volumes, snapshots) = ReadState();
        volumes.ShouldBe(new Dictionary<string, int> { ["v1"] = 5, ["v3"] = 5 }, ignoreOrder: true);
        snapshots.ShouldBe(new Dictionary<string, string> { ["s1"] = "v1" }, ignoreOrder: true);

        await driver.DeleteSnapshotAsync(new SnapshotRef("s1", new VolumeRef("v1", 5)), Token);
        ReadState().Snapshots.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_NewFactoryOverAnExistingStateFile_StartsWithItsVolumesAndCapacity()
    {
        var first = bed.CreateDriver(options: [("fault_state_file", StatePath), ("fault_capacity_gb", "10")]);
        await first.CreateVolumeAsync(new VolumeRef("v1", 6), Token);
        await first.CreateSnapshotAsync(new SnapshotRef("s1", new VolumeRef("v1", 6)), Token);

        // A new factory is a new Kiln process: without the file its volumes would be gone.
        var restarted = (FaultDriver)new FaultDriverFactory().Create(new DriverContext(
            new BackendSection("fault1", new Dictionary<string, string> { ["fault_state_file"] = StatePath, ["fault_capacity_gb"] = "10" }),
            bed.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        (await restarted.GetStatsAsync(Token)).Pools.ShouldHaveSingleItem().AllocatedCapacityGb.ShouldBe(6);
        var error = await Should.ThrowAsync<DriverException>(() => restarted.DeleteVolumeAsync(new VolumeRef("v1", 6), Token));
        error.Message.ShouldBe("volume v1 has dependent snapshots");
        await Should.ThrowAsync<DriverException>(() => restarted.CreateVolumeAsync(new VolumeRef("v2", 5), Token));
    }

    [Fact]
    public async Task Operation_StateFileCannotBeWritten_FailsAndChangesNothing()
    {
        var driver = bed.CreateDriver(options: ("fault_state_file", StatePath));
        await driver.CreateVolumeAsync(new VolumeRef("v1", 2), Token);

        // A directory where the temporary file goes makes every write fail.
        Directory.CreateDirectory(StatePath + ".tmp");

        var error = await Should.ThrowAsync<DriverException>(() => driver.CreateVolumeAsync(new VolumeRef("v2", 3), Token));
        error.Message.ShouldStartWith($"fault_state_file {StatePath}: cannot write");
        (await driver.GetStatsAsync(Token)).Pools.ShouldHaveSingleItem().AllocatedCapacityGb.ShouldBe(2);
        ReadState().Volumes.Keys.ShouldBe(["v1"]);
    }

    [Fact]
    public async Task Create_StateFileNotWrittenByTheDriver_FailsWithConfigurationErrorAndRetriesNextTime()
    {
        File.WriteAllText(StatePath, "[1, 2]");

        var error = Should.Throw<DriverConfigurationException>(() => bed.CreateDriver(options: ("fault_state_file", StatePath)));

        error.Message.ShouldStartWith($"fault_state_file {StatePath}: not a fault driver state file");
        File.Delete(StatePath);
        var driver = bed.CreateDriver(options: ("fault_state_file", StatePath));
        await driver.CreateVolumeAsync(new VolumeRef("v1", 1), Token);
        ReadState().Volumes.Keys.ShouldBe(["v1"]);
    }

    public void Dispose() => bed.Dispose();

    private (Dictionary<string, int> Volumes, Dictionary<string, string> Snapshots) ReadState()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(StatePath));
        var volumes = document.RootElement.GetProperty("volumes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var snapshots = document.RootElement.GetProperty("snapshots").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("volume_id").GetString()!);
        return (volumes, snapshots);
    }
}
