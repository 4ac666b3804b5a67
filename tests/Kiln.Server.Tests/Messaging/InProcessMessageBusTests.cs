using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kiln.Server.Messaging;
using Kiln.Server.Telemetry;
using Kiln.Server.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// The bus contract on the in-process bus: a handler's throw is a rejection, the message comes back
/// (count raised, flagged redelivered), and after the last allowed delivery it is dead-lettered with a
/// log line and <c>kiln_messages_dead_lettered_total{queue}</c>. The bus used to log and drop it.
/// </summary>
public sealed class InProcessMessageBusTests : IAsyncDisposable
{
    private static readonly RedeliveryPolicy Quick = new() { MaxDeliveries = 3, InitialBackoff = TimeSpan.Zero };

    private readonly ServiceProvider services;
    private readonly LogRecorder logs = new();
    private readonly InProcessMessageBus bus;
    private readonly DeadLetterMeter meter;

    public InProcessMessageBusTests()
    {
        services = new ServiceCollection().AddMetrics().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new MessagingMetrics(factory);
        meter = new DeadLetterMeter(factory.Create(MetricNames.Meter));
        bus = new InProcessMessageBus(metrics, TimeProvider.System, services.GetRequiredService<ILogger<InProcessMessageBus>>(), Quick);
    }

    [Fact]
    public async Task Subscribe_HandlerThrowsOnce_MessageIsDeliveredAgainAndSucceeds()
    {
        var deliveries = new List<MessageDelivery>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = bus.Subscribe("q", (delivery, _) =>
        {
            lock (deliveries)
            {
                deliveries.Add(delivery);
                if (deliveries.Count == 1)
                {
                    throw new InvalidOperationException("database briefly unavailable");
                }
            }

            done.TrySetResult();
            return Task.CompletedTask;
        }, concurrency: 1);

        await bus.SendAsync("q", new DeleteVolume("v1"), TestContext.Current.CancellationToken);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        deliveries.Select(d => (d.DeliveryCount, d.Redelivered)).ShouldBe([(1, false), (2, true)]);
        deliveries.ShouldAllBe(d => d.Message == new DeleteVolume("v1"));
        logs.WithId(2601).Count.ShouldBe(1);
        logs.WithId(2600).ShouldBeEmpty();
        meter.Total(MetricNames.MessagesRedelivered, "q").ShouldBe(1);
    }

    [Fact]
    public async Task Subscribe_HandlerAlwaysThrows_DeadLetteredAfterMaxDeliveriesWithLogAndMetric()
    {
        var calls = 0;
        await using var subscription = bus.Subscribe("q", (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("never works");
        }, concurrency: 2);

        await bus.SendAsync("q", new DeleteVolume("poison"), TestContext.Current.CancellationToken);
        await WaitAsync(() => logs.WithId(2600).Count == 1);

        var line = logs.WithId(2600).Single();
        line.Level.ShouldBe(LogLevel.Error);
        line.Message.ShouldBe("Queue q: DeleteVolume dead-lettered after 3 deliveries; its handler kept failing");
        line.Exception.ShouldBeOfType<InvalidOperationException>();
        meter.Total(MetricNames.MessagesDeadLettered, "q").ShouldBe(1);

        // Nothing comes back after the dead letter: a message sent after it is the only next call.
        await bus.SendAsync("q", new DeleteVolume("next"), TestContext.Current.CancellationToken);
        await WaitAsync(() => logs.WithId(2600).Count == 2);
        Volatile.Read(ref calls).ShouldBe(6);
    }

    [Fact]
    public async Task Subscribe_PoisonMessage_DoesNotHoldUpTheOthers()
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = bus.Subscribe("q", (delivery, _) =>
        {
            if (delivery.Message is DeleteVolume { VolumeId: "poison" })
            {
                throw new InvalidOperationException("never works");
            }

            handled.TrySetResult();
            return Task.CompletedTask;
        }, concurrency: 1);

        await bus.SendAsync("q", new DeleteVolume("poison"), TestContext.Current.CancellationToken);
        await bus.SendAsync("q", new DeleteVolume("good"), TestContext.Current.CancellationToken);
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Delivery_TimeInQueueAndInHandler_RecordedPerQueueAndMessage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var factory = services.GetRequiredService<IMeterFactory>();
        var timed = new InProcessMessageBus(new MessagingMetrics(factory), clock, services.GetRequiredService<ILogger<InProcessMessageBus>>(), Quick);

        // Sent with nobody consuming yet: three seconds in the queue, then two in the handler.
        await timed.SendAsync("hops", new DeleteVolume("v1"), TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(3));
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = timed.Subscribe("hops", (_, _) =>
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            handled.TrySetResult();
            return Task.CompletedTask;
        }, concurrency: 1);
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await WaitAsync(() => meter.Values(MetricNames.MessagesHandling, "hops").Count == 1);

        meter.Values(MetricNames.MessagesWait, "hops").ShouldBe([("DeleteVolume", 3.0)]);
        meter.Values(MetricNames.MessagesHandling, "hops").ShouldBe([("DeleteVolume", 2.0)]);
    }

    public async ValueTask DisposeAsync()
    {
        meter.Dispose();
        await services.DisposeAsync();
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "condition not met in 10 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
