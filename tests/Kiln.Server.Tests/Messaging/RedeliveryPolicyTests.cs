using Kiln.Server.Messaging;

namespace Kiln.Server.Tests.Messaging;

public sealed class RedeliveryPolicyTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(7, 30_000)]
    public void BackoffAfter_Doubles_UpToTheCap(int deliveryCount, int expectedMs) =>
        RedeliveryPolicy.Default.BackoffAfter(deliveryCount).ShouldBe(TimeSpan.FromMilliseconds(expectedMs));

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(int.MaxValue)]
    public void BackoffAfter_HugeCount_IsTheCapNotAnOverflow(int deliveryCount)
    {
        var policy = new RedeliveryPolicy { InitialBackoff = TimeSpan.FromTicks(3), MaxBackoff = TimeSpan.MaxValue };
        policy.BackoffAfter(deliveryCount).ShouldBe(TimeSpan.MaxValue);
        RedeliveryPolicy.Default.BackoffAfter(deliveryCount).ShouldBe(RedeliveryPolicy.Default.MaxBackoff);
    }

    [Fact]
    public void IsExhausted_AfterMaxDeliveries() =>
        Enumerable.Range(1, 6).Select(RedeliveryPolicy.Default.IsExhausted).ShouldBe([false, false, false, false, true, true]);
}
