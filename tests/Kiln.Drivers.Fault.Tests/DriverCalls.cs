using Kiln.Core.Drivers;

namespace Kiln.Drivers.Fault.Tests;

/// <summary>
/// Every driver call by its call-log name, with arguments that succeed on a driver seeded by
/// <see cref="SeedAsync"/>, so a table test can fail each call in turn.
/// </summary>
internal static class DriverCalls
{
    public static readonly VolumeRef Seed = new("seed", 1);
    public static readonly SnapshotRef SeedSnapshot = new("seed-snap", Seed);
    private static readonly ConnectorInfo Connector = new("compute1", "iqn.2026-03.org.example:compute1", "192.0.2.10");

    public static readonly string[] Lifecycle = ["do_setup", "check_for_setup_error", "get_volume_stats"];

    public static readonly string[] Operations =
    [
        "create_volume", "create_volume_from_snapshot", "create_cloned_volume", "delete_volume", "extend_volume",
        "create_snapshot", "delete_snapshot", "initialize_connection", "terminate_connection",
    ];

    public static TheoryData<string> LifecycleAndOperations => [.. Lifecycle, .. Operations];

    public static TheoryData<string> All => [.. Lifecycle, .. Operations, "probe"];

    public static TheoryData<string> OperationNames => [.. Operations];

    /// <summary>Creates the volume and snapshot the calls refer to; the control file must allow it.</summary>
    public static async Task SeedAsync(FaultDriver driver)
    {
        await driver.CreateVolumeAsync(Seed, FaultTestBed.Token);
        await driver.CreateSnapshotAsync(SeedSnapshot, FaultTestBed.Token);
    }

    public static Task InvokeAsync(FaultDriver driver, string method, CancellationToken cancellationToken) => method switch
    {
        "do_setup" => driver.SetupAsync(cancellationToken),
        "check_for_setup_error" => driver.CheckForSetupErrorAsync(cancellationToken),
        "get_volume_stats" => driver.GetStatsAsync(cancellationToken),
        "probe" => driver.ProbeAsync(cancellationToken),
        "create_volume" => driver.CreateVolumeAsync(new VolumeRef("new", 1), cancellationToken),
        "create_volume_from_snapshot" => driver.CreateVolumeFromSnapshotAsync(new VolumeRef("from-snap", 1), SeedSnapshot, cancellationToken),
        "create_cloned_volume" => driver.CreateCloneAsync(new VolumeRef("clone", 1), Seed, cancellationToken),
        "delete_volume" => driver.DeleteVolumeAsync(new VolumeRef("never-created", 1), cancellationToken),
        "extend_volume" => driver.ExtendVolumeAsync(Seed, 2, cancellationToken),
        "create_snapshot" => driver.CreateSnapshotAsync(new SnapshotRef("snap2", Seed), cancellationToken),
        "delete_snapshot" => driver.DeleteSnapshotAsync(new SnapshotRef("never-taken", Seed), cancellationToken),
        "initialize_connection" => driver.InitializeConnectionAsync(Seed, Connector, cancellationToken),
        "terminate_connection" => driver.TerminateConnectionAsync(Seed, Connector, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a driver call"),
    };
}
