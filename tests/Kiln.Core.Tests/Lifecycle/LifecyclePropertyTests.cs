using CsCheck;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>Random driver behaviour against the invariants of the lifecycle (DESIGN §3).</summary>
public sealed class LifecyclePropertyTests
{
    public enum Outcome
    {
        Ok,
        Transient,
        Config,
        Unsupported,
        Dependency,
    }

    private static readonly Gen<Outcome> GenOutcome = Gen.Frequency(
        (6, Gen.Const(Outcome.Transient)), (2, Gen.Const(Outcome.Ok)), (1, Gen.Enum<Outcome>()));

    [Fact]
    public async Task Lifecycle_RandomOutcomesAndBudgets_RespectsBudgetTaxonomyAndStateTable()
    {
        var gen = Gen.Select(Gen.Int[0, 5], GenOutcome.Array[1, 10], Gen.Bool);
        await gen.SampleAsync(
            async (budget, outcomes, probing) =>
            {
                // With an unlimited budget, end on success so the run terminates.
                var script = budget == 0 ? [.. outcomes, Outcome.Ok] : outcomes;
                var (expectedState, expectedAttempts) = Model(budget, script);

                await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = budget });
                if (!probing)
                {
                    h.Storage.Probe = null;
                }

                var queue = new Queue<Outcome>(script);
                h.Storage.SetupDefault = _ => Apply(queue.TryDequeue(out var next) ? next : Outcome.Transient);
                await h.StartAsync();
                for (var step = 0; step < 5000 && !IsSettled(h.State); step++)
                {
                    CheckInvariants(h, budget);
                    await h.AdvanceToNextWakeAsync();
                }

                CheckInvariants(h, budget);
                h.State.ShouldBe(expectedState);
                h.Storage.Count("setup").ShouldBe(expectedAttempts);
                if (expectedState == BackendState.Unrecoverable)
                {
                    // Unrecoverable is attempted exactly once: time passing changes nothing.
                    h.Time.Advance(TimeSpan.FromDays(1));
                    h.Storage.Count("setup").ShouldBe(expectedAttempts);
                }
            },
            iter: 150,
            threads: 1);
    }

    [Fact]
    public async Task Lifecycle_StorageReachableAfterRandomOutage_ReadyByTheNextProbe()
    {
        var gen = Gen.Select(Gen.Int[1, 5], Gen.Int[0, 900], Gen.Int[1, 5]);
        await gen.SampleAsync(
            async (budget, outageSeconds, probeSeconds) =>
            {
                var probeInterval = TimeSpan.FromSeconds(probeSeconds);
                await using var h = new Harness(new LifecycleOptions { ReinitDriverCount = budget, ReinitProbeInterval = probeInterval });
                var back = Harness.Start + TimeSpan.FromSeconds(outageSeconds);
                bool Reachable() => h.Time.GetUtcNow() >= back;
                h.Storage.Probe = () => Reachable() ? ProbeResult.Ready : ProbeResult.NotReady("array down");
                h.Storage.SetupDefault = _ => Reachable() ? Task.CompletedTask : Task.FromException(new DriverException("array down"));
                await h.StartAsync();

                for (var step = 0; step < 5000 && h.State != BackendState.Ready; step++)
                {
                    h.State.ShouldBe(BackendState.Failed);
                    await h.AdvanceToNextWakeAsync();
                }

                h.State.ShouldBe(BackendState.Ready);
                h.Snapshot.Since.ShouldBeLessThanOrEqualTo(back + probeInterval);
                h.Storage.Count("setup").ShouldBeLessThanOrEqualTo(budget + 1);
            },
            iter: 100,
            threads: 1);
    }

    private static (BackendState State, int Attempts) Model(int budget, Outcome[] script)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = attempt <= script.Length ? script[attempt - 1] : Outcome.Transient;
            switch (outcome)
            {
                case Outcome.Ok:
                    return (BackendState.Ready, attempt);
                case Outcome.Transient when budget != 0 && attempt - 1 >= budget:
                    return (BackendState.GaveUp, attempt);
                case Outcome.Transient:
                    continue;
                default:
                    return (BackendState.Unrecoverable, attempt);
            }
        }
    }

    private static Task Apply(Outcome outcome) => outcome switch
    {
        Outcome.Ok => Task.CompletedTask,
        Outcome.Transient => Task.FromException(new DriverException("transient")),
        Outcome.Config => Task.FromException(new DriverConfigurationException("bad option")),
        Outcome.Unsupported => Task.FromException(new DriverNotSupportedException("unsupported")),
        _ => Task.FromException(new DriverDependencyException("missing tool")),
    };

    private static bool IsSettled(BackendState state) => state is BackendState.Ready or BackendState.GaveUp or BackendState.Unrecoverable;

    private static void CheckInvariants(Harness h, int budget)
    {
        var s = h.Snapshot;
        Enum.IsDefined(s.State).ShouldBeTrue();
        (s.NextAttemptAt is not null).ShouldBe(s.State == BackendState.Failed, $"next attempt vs {s.State}");
        (s.ErrorClass is not null).ShouldBe(s.State is BackendState.Failed or BackendState.GaveUp or BackendState.Unrecoverable, $"error vs {s.State}");
        if (budget != 0)
        {
            s.ReinitAttempts.ShouldBeLessThanOrEqualTo(budget);
            h.Storage.Count("setup").ShouldBeLessThanOrEqualTo(budget + 1);
        }

        s.State.IsSchedulable().ShouldBe(h.Host.Driver is not null);
    }
}
