using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Persistence;

namespace Kiln.Server.Tests.Backends;

/// <summary>How a process without the volume role reads a backend's state from its service record.</summary>
public sealed class StoredBackendStatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);

    private static readonly StoredService Record = new()
    {
        Binary = StoredService.VolumeBinary,
        Host = "node2@fast",
        Zone = "nova",
        CreatedAt = Now.AddMinutes(-5),
        UpdatedAt = Now.AddSeconds(-3),
        DriverState = "failed",
        DriverError = "DriverException: storage not reachable: timeout",
        DriverStateSince = Now.AddSeconds(-20),
        ReinitAttempts = 2,
        ReinitBudget = 3,
    };

    [Fact]
    public void ToSnapshot_ReportingService_IsItsStoredState()
    {
        var snapshot = StoredBackendStates.ToSnapshot(Record, Now, TimeSpan.FromSeconds(10))!;

        (snapshot.Host, snapshot.BackendName, snapshot.State, snapshot.ErrorClass, snapshot.ErrorMessage, snapshot.ReinitAttempts, snapshot.Since)
            .ShouldBe(("node2@fast", "fast", BackendState.Failed, "DriverException", "storage not reachable: timeout", 2, Now.AddSeconds(-20)));
    }

    [Fact]
    public void ToSnapshot_SilentPastServiceDownTime_IsStoppedNamingTheNode()
    {
        var snapshot = StoredBackendStates.ToSnapshot(Record with { DriverState = "ready", DriverError = null, UpdatedAt = Now.AddSeconds(-12) }, Now, TimeSpan.FromSeconds(10))!;

        snapshot.State.ShouldBe(BackendState.Stopped);
        Kiln.Core.Volumes.VolumeManager.NotReadyReason(snapshot).ShouldBe(
            "Backend node2@fast is stopped (ServiceDown: the volume service on node node2 has not reported for 12 s (service_down_time 10 s)).");
    }

    [Fact]
    public void ToSnapshot_NotABackendRecord_IsNull()
    {
        StoredBackendStates.ToSnapshot(Record with { Binary = StoredService.SchedulerBinary }, Now, TimeSpan.FromSeconds(10)).ShouldBeNull();
        StoredBackendStates.ToSnapshot(Record with { DriverState = null }, Now, TimeSpan.FromSeconds(10)).ShouldBeNull();
    }
}
