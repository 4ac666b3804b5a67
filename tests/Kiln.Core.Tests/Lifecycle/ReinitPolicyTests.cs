using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

public sealed class ReinitPolicyTests
{
    [Theory]
    [InlineData(0, 3, AfterFailure.Retry)]
    [InlineData(2, 3, AfterFailure.Retry)]
    [InlineData(3, 3, AfterFailure.GiveUp)]
    [InlineData(0, 0, AfterFailure.Retry)]
    [InlineData(int.MaxValue, 0, AfterFailure.Retry)]
    [InlineData(int.MaxValue - 1, int.MaxValue, AfterFailure.Retry)]
    [InlineData(int.MaxValue, int.MaxValue, AfterFailure.GiveUp)]
    public void Decide_Recoverable_RetriesWhileBudgetRemains(int used, int budget, AfterFailure expected) =>
        ReinitPolicy.Decide(FailureKind.Recoverable, used, budget).ShouldBe(expected);

    [Theory]
    [InlineData(0, 3)]
    [InlineData(0, 0)]
    [InlineData(int.MaxValue, 0)]
    public void Decide_Unrecoverable_AlwaysStops(int used, int budget) =>
        ReinitPolicy.Decide(FailureKind.Unrecoverable, used, budget).ShouldBe(AfterFailure.Stop);

    [Fact]
    public void Decide_NegativeBudget_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => ReinitPolicy.Decide(FailureKind.Recoverable, 0, -1));

    [Fact]
    public void Increment_AtMaxValue_Saturates()
    {
        ReinitPolicy.Increment(int.MaxValue).ShouldBe(int.MaxValue);
        ReinitPolicy.Increment(int.MaxValue - 1).ShouldBe(int.MaxValue);
        ReinitPolicy.Increment(0).ShouldBe(1);
    }
}

public sealed class ReinitBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 60)]
    [InlineData(100, 60)]
    public void Compute_MiddleJitter_IsCappedDoubling(int attempt, double seconds) =>
        ReinitBackoff.Compute(attempt, Initial, Max, 0.5).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Compute_JitterExtremes_StayWithinTwentyPercent()
    {
        ReinitBackoff.Compute(1, Initial, Max, 0.0).ShouldBe(TimeSpan.FromSeconds(8));
        ReinitBackoff.Compute(1, Initial, Max, 0.999999).TotalSeconds.ShouldBe(12, 0.001);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(int.MaxValue)]
    public void Compute_HugeAttempt_DoesNotOverflow(int attempt)
    {
        var delay = ReinitBackoff.Compute(attempt, Initial, Max, 0.5);

        delay.ShouldBe(Max);
    }

    [Fact]
    public void Compute_HugeCap_DoesNotOverflowTimeSpan()
    {
        var delay = ReinitBackoff.Compute(int.MaxValue, TimeSpan.FromDays(1), TimeSpan.FromDays(1), 0.999);

        delay.ShouldBeGreaterThan(TimeSpan.FromDays(1));
        delay.ShouldBeLessThan(TimeSpan.FromDays(1.2));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, -0.1)]
    [InlineData(1, 1.0)]
    public void Compute_InvalidArguments_Throw(int attempt, double jitter) =>
        Should.Throw<ArgumentOutOfRangeException>(() => ReinitBackoff.Compute(attempt, Initial, Max, jitter));
}
