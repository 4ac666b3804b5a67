using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>Fails each initialization stage in turn with each kind of error and checks the reaction.</summary>
public sealed class FailEachStageTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var stage in new[] { "create", "setup", "check", "cleanup", "resync" })
        {
            foreach (var error in new[] { "transient", "timeout-like", "config", "unsupported", "dependency", "wrapped-config" })
            {
                data.Add(stage, error);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InitStage_Fails_StateFollowsTheTaxonomy(string stage, string error)
    {
        Exception exception = error switch
        {
            "transient" => new DriverException("array busy"),
            "timeout-like" => new TimeoutException("login timed out"),
            "config" => new DriverConfigurationException("[fast] san_ip missing"),
            "unsupported" => new DriverNotSupportedException("firmware too old"),
            "dependency" => new DriverDependencyException("qemu-img not found"),
            _ => new DriverException("setup failed", new DriverConfigurationException("[fast] bad pool")),
        };
        var unrecoverable = error is "config" or "unsupported" or "dependency" or "wrapped-config";
        await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = 2 });
        h.Storage.Probe = null;
        switch (stage)
        {
            case "create": h.Storage.CreateError = exception; break;
            case "setup": h.Storage.SetupDefault = Storage.Throw(exception); break;
            case "check": h.Storage.Check = Storage.Throw(exception); break;
            case "cleanup": h.Cleaner.Next = Storage.Throw(exception); break;
            default: h.Cleaner.NextResync = Storage.Throw(exception); break;
        }

        await h.StartAsync();
        h.State.ShouldBe(unrecoverable ? BackendState.Unrecoverable : BackendState.Failed);
        h.Snapshot.ErrorClass.ShouldBe(DriverErrorClassifier.RootCause(exception).GetType().Name);
        h.Storage.Count("stats").ShouldBe(0);

        await h.AdvanceUntilAsync(s => s.State is BackendState.GaveUp or BackendState.Unrecoverable);

        h.State.ShouldBe(unrecoverable ? BackendState.Unrecoverable : BackendState.GaveUp);
        h.Storage.Count("create").ShouldBe(unrecoverable ? 1 : 3);
    }

    [Fact]
    public async Task InitAttempt_EveryAttempt_ResyncRunsAfterTheCleanupWithTheOperationTimeout()
    {
        await using var h = new Harness(new LifecycleOptions { DriverOperationTimeout = TimeSpan.FromSeconds(42) });
        h.Storage.Probe = null;

        await h.StartAsync();
        h.State.ShouldBe(BackendState.Ready);
        await h.ReinitAsync();
        await h.AdvanceUntilAsync(s => s.State == BackendState.Ready && h.Cleaner.Steps.Count == 4);

        h.Cleaner.Steps.ShouldBe(["cleanup", "resync 42", "cleanup", "resync 42"]);
    }
}
