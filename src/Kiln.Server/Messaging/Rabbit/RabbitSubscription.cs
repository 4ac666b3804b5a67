using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Kiln.Server.Messaging.Rabbit;

/// <summary>
/// One consumer of a queue: its own channel, prefetch = concurrency = the dispatcher's parallelism, so
/// the broker never hands it more than it is working on and the rest stays for competing consumers.
/// Each delivery is acknowledged only after its handler returned; a channel the broker closed (not a
/// connection loss, which the client's recovery repairs with the consumer) is opened again with backoff.
/// </summary>
internal sealed class RabbitSubscription : IAsyncDisposable
{
    private readonly RabbitMqMessageBus bus;
    private readonly string queue;
    private readonly Func<MessageDelivery, CancellationToken, Task> handler;
    private readonly int concurrency;
    private readonly CancellationTokenSource stopping;
    private Task running = Task.CompletedTask;
    private IChannel? channel;

    private RabbitSubscription(RabbitMqMessageBus bus, string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency, CancellationToken busStopping)
    {
        this.bus = bus;
        this.queue = queue;
        this.handler = handler;
        this.concurrency = concurrency;
        stopping = CancellationTokenSource.CreateLinkedTokenSource(busStopping);
    }

    public static RabbitSubscription Start(RabbitMqMessageBus bus, string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency, CancellationToken busStopping)
    {
        var subscription = new RabbitSubscription(bus, queue, handler, concurrency, busStopping);
        subscription.running = subscription.RunAsync();
        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        if (channel is not null)
        {
            // Closing the channel returns whatever was not acknowledged to the queue.
            try
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (RabbitMqMessageBus.IsTransient(ex) || ex is ObjectDisposedException)
            {
            }

            await channel.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = stopping.Token;
        var wait = TimeSpan.FromMilliseconds(250);
        while (!token.IsCancellationRequested)
        {
            try
            {
                var closed = await ConsumeAsync(token).ConfigureAwait(false);
                var reason = await closed.Task.WaitAsync(token).ConfigureAwait(false);
                MessagingLog.ConsumeFailed(bus.Logger, queue, reason, wait.TotalSeconds, exception: null);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                MessagingLog.ConsumeFailed(bus.Logger, queue, ex.GetType().Name, wait.TotalSeconds, ex);
            }

            try
            {
                await Task.Delay(wait, TimeProvider.System, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    /// <summary>Opens a channel and consumes; the task completes with a reason when the broker closes the channel itself.</summary>
    private async Task<TaskCompletionSource<string>> ConsumeAsync(CancellationToken token)
    {
        var connection = await bus.ConnectionAsync(token).ConfigureAwait(false);
        if (channel is not null)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)concurrency), token)
            .ConfigureAwait(false);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = channel;
        channel.ChannelShutdownAsync += (_, args) =>
        {
            // A connection loss closes every channel and recovery reopens them with their consumers; only
            // a channel closed while the connection stays open needs a new one.
            if (connection.IsOpen && args.Initiator != ShutdownInitiator.Application)
            {
                closed.TrySetResult(args.ReplyText);
            }

            return Task.CompletedTask;
        };
        await channel.BasicQosAsync(0, (ushort)concurrency, global: false, token).ConfigureAwait(false);
        await bus.DeclareAsync(channel, queue, token).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnReceivedAsync(mine, delivery);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, token).ConfigureAwait(false);
        return closed;
    }

    private async Task OnReceivedAsync(IChannel on, BasicDeliverEventArgs received)
    {
        var token = stopping.Token;
        var body = received.Body.ToArray();
        var count = RabbitHeaders.ReadDeliveryCount(received.BasicProperties.Headers);
        try
        {
            KilnMessage? message;
            try
            {
                message = JsonSerializer.Deserialize(body, MessageJson.Default.KilnMessage);
            }
            catch (JsonException ex)
            {
                message = null;
                MessagingLog.Unreadable(bus.Logger, queue, ex.Message);
            }

            if (message is null)
            {
                await bus.PublishAsync(queue, body, count, "unreadable", token).ConfigureAwait(false);
                await on.BasicAckAsync(received.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var delivery = new MessageDelivery(queue, message, count, received.Redelivered || count > 1)
            {
                SentAt = RabbitHeaders.ReadSentAt(received.BasicProperties.Headers),
            };
            switch (await bus.Runner.RunAsync(delivery, handler, token).ConfigureAwait(false))
            {
                case DeliveryOutcome.Ack:
                    break;
                case DeliveryOutcome.Redeliver:
                    // Publish the next delivery before letting go of this one: a death in between
                    // duplicates the message, it never loses it.
                    await bus.PublishAsync(queue, body, count + 1, reason: null, token).ConfigureAwait(false);
                    break;
                case DeliveryOutcome.DeadLetter:
                    await bus.PublishAsync(queue, body, count, "handler failed on every delivery", token).ConfigureAwait(false);
                    break;
                default:
                    // Stopping: leave it unacknowledged; closing the channel returns it to the queue.
                    return;
            }

            await on.BasicAckAsync(received.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (RabbitMqMessageBus.IsTransient(ex) || ex is OperationCanceledException or MessagingUnavailableException or ObjectDisposedException)
        {
            // The channel is gone or the subscription stopping: the broker delivers the message again.
        }
    }
}
