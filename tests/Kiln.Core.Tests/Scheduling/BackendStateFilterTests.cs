using Kiln.Core.Lifecycle;
using static Kiln.Core.Tests.Scheduling.TestPools;

namespace Kiln.Core.Tests.Scheduling;

public sealed class BackendStateFilterTests
{
    [Theory]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable: ready file /x does not exist", 7.2, "failed (DriverException: storage not reachable: ready file /x does not exist), next attempt in 8 s")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", 8.0, "failed (DriverException: storage not reachable), next attempt in 8 s")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", 0.0000001, "failed (DriverException: storage not reachable), next attempt in 1 s")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", 0.0, "failed (DriverException: storage not reachable), next attempt now")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", -5.0, "failed (DriverException: storage not reachable), next attempt now")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", 300.0, "failed (DriverException: storage not reachable), next attempt in 300 s")]
    [InlineData(BackendState.Failed, null, 3.0, "failed, next attempt in 3 s")]
    [InlineData(BackendState.Failed, "", 3.0, "failed, next attempt in 3 s")]
    [InlineData(BackendState.Failed, "DriverException: storage not reachable", null, "failed (DriverException: storage not reachable)")]
    [InlineData(BackendState.GaveUp, "DriverException: login failed", null, "gave_up (DriverException: login failed), waiting for an operator")]
    [InlineData(BackendState.GaveUp, "DriverException: login failed", 10.0, "gave_up (DriverException: login failed), waiting for an operator")]
    [InlineData(BackendState.Unrecoverable, "DriverConfigurationException: [fast] san_ip missing", null, "unrecoverable (DriverConfigurationException: [fast] san_ip missing), waiting for an operator")]
    [InlineData(BackendState.Unrecoverable, null, null, "unrecoverable, waiting for an operator")]
    [InlineData(BackendState.Initializing, null, null, "initializing")]
    [InlineData(BackendState.Initializing, "DriverException: storage not reachable", 4.0, "initializing (DriverException: storage not reachable)")]
    [InlineData(BackendState.Stopped, null, null, "stopped")]
    public void Place_BackendNotSchedulable_SaysStateAndWhen(BackendState state, string? error, double? nextInSeconds, string expected)
    {
        var pool = Pool() with
        {
            State = state,
            StateReason = error,
            NextAttemptAt = nextInSeconds is { } seconds ? Now + TimeSpan.FromSeconds(seconds) : null,
        };

        ReasonFor(pool, Request()).ShouldBe(expected);
    }

    [Theory]
    [InlineData(BackendState.Ready)]
    [InlineData(BackendState.Degraded)]
    public void Place_ReadyOrDegraded_IsSchedulable(BackendState state)
    {
        var pool = Pool() with { State = state, StateReason = "DriverException: stats call failed" };

        ReasonFor(pool, Request()).ShouldBeNull();
    }

    [Fact]
    public void Place_FailedAndOtherwiseUnfit_ReportsTheStateFirst()
    {
        var pool = Pool(free: 0, zone: "elsewhere", backendName: "slow") with
        {
            State = BackendState.Failed,
            StateReason = "DriverException: storage not reachable",
            NextAttemptAt = Now + TimeSpan.FromSeconds(8),
        };
        var request = Request(10, ("volume_backend_name", "fast")) with { AvailabilityZone = "nova", RequiredBackendHost = "other@b" };

        ReasonFor(pool, request).ShouldBe("failed (DriverException: storage not reachable), next attempt in 8 s");
    }
}
