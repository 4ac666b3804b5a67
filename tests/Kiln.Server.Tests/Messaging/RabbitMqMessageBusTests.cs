using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Kiln.Server.Messaging;
using Kiln.Server.Messaging.Rabbit;
using Kiln.Server.Telemetry;
using Kiln.Server.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// The RabbitMQ bus against a real broker: publisher confirms, the ack/nack contract across consumers,
/// a consumer's death handing its message to another, and a broker restart the bus rides out.
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class RabbitMqMessageBusTests(RabbitBroker broker) : IAsyncDisposable
{
    private static readonly RedeliveryPolicy Quick = new() { MaxDeliveries = 3, InitialBackoff = TimeSpan.Zero };

    private static readonly RabbitOptions Fast = new()
    {
        ConnectBackoffInitial = TimeSpan.FromMilliseconds(100),
        ConnectBackoffMax = TimeSpan.FromMilliseconds(500),
        RecoveryInterval = TimeSpan.FromMilliseconds(500),
        SendTimeout = TimeSpan.FromSeconds(60),
    };

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LogRecorder logs = new();
    private readonly List<RabbitMqMessageBus> buses = [];
    private readonly string queue = $"kiln.test.{Guid.NewGuid():N}";

    [Fact]
    public async Task SendAsync_ReturnsOnceTheBrokerHasTheMessage_Persistent()
    {
        using var hops = new DeadLetterMeter(services.GetRequiredService<IMeterFactory>().Create(MetricNames.Meter));
        var bus = NewBus();
        await bus.SendAsync(queue, new DeleteVolume("v1"), TestContext.Current.CancellationToken);

        // Confirmed: the queue holds it the moment SendAsync returns, as a persistent message.
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var got = await channel.BasicGetAsync(queue, autoAck: true, TestContext.Current.CancellationToken);
        got.ShouldNotBeNull();
        got.BasicProperties.Persistent.ShouldBeTrue();
        Encoding.UTF8.GetString(got.Body.Span).ShouldBe("""{"type":"delete_volume","volume_id":"v1"}""");

        // Stamped with its send time (the receiver's kiln_messages_wait_seconds), and the send's own time measured.
        RabbitHeaders.ReadSentAt(got.BasicProperties.Headers)!.Value.ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30));
        hops.Values(MetricNames.MessagesSend, queue).ShouldHaveSingleItem().Value.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Subscribe_HandlerThrowsOnce_DeliveredAgainWithTheCountRaised()
    {
        var bus = NewBus();
        var deliveries = new List<MessageDelivery>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = bus.Subscribe(queue, (delivery, _) =>
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
        }, concurrency: 2);

        await bus.SendAsync(queue, new ExtendVolume("v1", 5), TestContext.Current.CancellationToken);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        deliveries.Select(d => (d.DeliveryCount, d.Redelivered, d.Message)).ShouldBe([(1, false, new ExtendVolume("v1", 5)), (2, true, new ExtendVolume("v1", 5))]);
        await WaitAsync(async () => await MessageCountAsync(queue) == 0, "the message acknowledged");
    }

    [Fact]
    public async Task Subscribe_HandlerAlwaysThrows_DeadLetterQueueHoldsItAfterMaxDeliveries()
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var meter = new DeadLetterMeter(meterFactory.Create(MetricNames.Meter));
        var bus = NewBus();
        var calls = 0;
        await using var subscription = bus.Subscribe(queue, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("never works");
        }, concurrency: 1);

        await bus.SendAsync(queue, new DeleteVolume("poison"), TestContext.Current.CancellationToken);
        await WaitAsync(async () => await MessageCountAsync(queue + ".dead-letter") == 1, "the message dead-lettered");

        Volatile.Read(ref calls).ShouldBe(3);
        logs.WithId(2600).Single().Message.ShouldBe($"Queue {queue}: DeleteVolume dead-lettered after 3 deliveries; its handler kept failing");
        meter.Total(MetricNames.MessagesDeadLettered, queue).ShouldBe(1);
        await WaitAsync(async () => await MessageCountAsync(queue) == 0, "the original acknowledged");
    }

    [Fact]
    public async Task ConsumerDies_ItsMessageGoesToAnotherConsumer_WhichAlsoCompetedForTheRest()
    {
        var first = NewBus();
        var second = NewBus();
        var firstGot = new TaskCompletionSource<MessageDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondGot = new List<MessageDelivery>();
        var firstSubscription = first.Subscribe(queue, async (delivery, ct) =>
        {
            firstGot.TrySetResult(delivery);
            await Task.Delay(Timeout.Infinite, ct);
        }, concurrency: 1);
        await first.SendAsync(queue, new DeleteVolume("held"), TestContext.Current.CancellationToken);
        (await firstGot.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)).Message.ShouldBe(new DeleteVolume("held"));

        await using var secondSubscription = second.Subscribe(queue, (delivery, _) =>
        {
            lock (secondGot)
            {
                secondGot.Add(delivery);
            }

            return Task.CompletedTask;
        }, concurrency: 1);

        // The first consumer is busy (prefetch 1): the second takes the next message.
        await first.SendAsync(queue, new DeleteVolume("next"), TestContext.Current.CancellationToken);
        await WaitAsync(() => Task.FromResult(Count(secondGot) == 1), "the second consumer took the next message");

        // The first consumer's process dies without acknowledging: the broker hands its message on.
        await first.DisposeAsync();
        await firstSubscription.DisposeAsync();
        await WaitAsync(() => Task.FromResult(Count(secondGot) == 2), "the held message redelivered");
        lock (secondGot)
        {
            secondGot[0].Message.ShouldBe(new DeleteVolume("next"));
            secondGot[1].Message.ShouldBe(new DeleteVolume("held"));
            secondGot[1].Redelivered.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task BrokerRestart_BusReconnects_QueuedAndPendingMessagesAreDelivered()
    {
        var bus = NewBus();
        var impatient = NewBus(Fast with { SendTimeout = TimeSpan.FromSeconds(1) });
        var received = new List<KilnMessage>();
        await bus.SendAsync(queue, new DeleteVolume("before"), TestContext.Current.CancellationToken);
        await WaitAsync(() => Task.FromResult(bus.IsUsable && impatient.IsUsable), "connected");

        await broker.KillAsync();
        await WaitAsync(() => Task.FromResult(!bus.IsUsable), "the bus notices the broker is gone");

        // A send while the broker is down fails at once (its request is answered 503 and undone), rather
        // than holding the caller until the broker is back.
        var refused = Stopwatch.GetTimestamp();
        await Should.ThrowAsync<MessagingUnavailableException>(bus.SendAsync(queue, new DeleteVolume("refused"), TestContext.Current.CancellationToken).AsTask());
        Stopwatch.GetElapsedTime(refused).ShouldBeLessThan(TimeSpan.FromSeconds(1));

        // A publish that waits for the broker ends at its send timeout with the bus's own answer. (It used to end
        // with a bare TaskCanceledException when the deadline came between two tries, which silently ended the
        // background re-send of a held-back message: an acknowledged delete was never carried out.)
        await Should.ThrowAsync<MessagingUnavailableException>(impatient.PublishAsync(
            queue, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<KilnMessage>(new DeleteVolume("impatient"), MessageJson.Default.KilnMessage), 1, null, TestContext.Current.CancellationToken));

        // A redelivery publish (the bus's own) waits for the broker instead (it is not confirmed, so it must not
        // return). Several wait at once: none may break another's channel while the connection recovers.
        string[] during = [.. Enumerable.Range(1, 6).Select(i => $"during-{i}")];
        var pending = Task.WhenAll(during.Select(id => bus.PublishAsync(
            queue, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<KilnMessage>(new DeleteVolume(id), MessageJson.Default.KilnMessage), 1, null, TestContext.Current.CancellationToken)));
        await using var subscription = bus.Subscribe(queue, (delivery, _) =>
        {
            lock (received)
            {
                received.Add(delivery.Message);
            }

            return Task.CompletedTask;
        }, concurrency: 4);
        pending.IsCompleted.ShouldBeFalse();

        await broker.StartAsync();
        await pending.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await WaitAsync(() => Task.FromResult(Count(received) == 1 + during.Length), "every message delivered after the restart");
        bus.IsUsable.ShouldBeTrue();
        lock (received)
        {
            received.ShouldBe([new DeleteVolume("before"), .. during.Select(id => new DeleteVolume(id))], ignoreOrder: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bus in buses)
        {
            await bus.DisposeAsync();
        }

        await services.DisposeAsync();
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(60), $"{what}: not in 60 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private RabbitMqMessageBus NewBus(RabbitOptions? options = null)
    {
        var transport = RabbitTransport.Parse(broker.TransportUrl).Value!;
        var loggerFactory = LoggerFactory.Create(l => l.AddProvider(logs));
        var bus = new RabbitMqMessageBus(
            transport, options ?? Fast, Quick, new MessagingMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System, loggerFactory.CreateLogger<RabbitMqMessageBus>());
        buses.Add(bus);
        return bus;
    }

    private async Task<uint> MessageCountAsync(string name)
    {
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        return (await channel.QueueDeclarePassiveAsync(name, TestContext.Current.CancellationToken)).MessageCount;
    }
}
