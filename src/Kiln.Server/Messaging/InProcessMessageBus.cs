using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Kiln.Server.Messaging;

/// <summary>
/// Messaging inside one process: one bounded channel per queue. It keeps the bus contract: a handler
/// that throws has its message put back at the end of the queue after the backoff (so other messages
/// are not held up behind it), and dead-lettered (logged and counted, then dropped: nothing survives
/// this process anyway) once <see cref="RedeliveryPolicy.MaxDeliveries"/> is spent.
/// </summary>
internal sealed class InProcessMessageBus : IMessageBus
{
    /// <summary>Per-queue capacity; senders wait (back-pressure) rather than lose messages.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Channel<MessageDelivery>> channels = new(StringComparer.Ordinal);
    private readonly DeliveryRunner runner;
    private readonly TimeProvider timeProvider;

    public InProcessMessageBus(MessagingMetrics metrics, TimeProvider timeProvider, ILogger<InProcessMessageBus> logger, RedeliveryPolicy policy)
    {
        runner = new DeliveryRunner(policy, metrics, timeProvider, logger);
        this.timeProvider = timeProvider;
    }

    public bool IsDurable => false;

    // Channels in this process cannot become unreachable.
    public bool IsUsable => true;

    public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) =>
        Channel(queue).Writer.WriteAsync(MessageDelivery.First(queue, message) with { SentAt = timeProvider.GetUtcNow() }, cancellationToken);

    public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        runner.Track(queue);
        var channel = Channel(queue);
        var stopping = new CancellationTokenSource();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => ConsumeAsync(channel, handler, stopping.Token))).ToArray();
        return new Subscription(stopping, workers);
    }

    private Channel<MessageDelivery> Channel(string queue) =>
        channels.GetOrAdd(queue, _ => System.Threading.Channels.Channel.CreateBounded<MessageDelivery>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        }));

    private async Task ConsumeAsync(Channel<MessageDelivery> channel, Func<MessageDelivery, CancellationToken, Task> handler, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var first in channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var delivery = first;
                while (await runner.RunAsync(delivery, handler, stoppingToken).ConfigureAwait(false) == DeliveryOutcome.Redeliver)
                {
                    delivery = delivery.Next() with { SentAt = timeProvider.GetUtcNow() };

                    // Back to the end of the queue; a consumer must never wait on its own full queue, so
                    // when it is full the message is delivered again right here instead.
                    if (channel.Writer.TryWrite(delivery))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed class Subscription(CancellationTokenSource stopping, Task[] workers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(false);
            stopping.Dispose();
        }
    }
}
