using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Kiln.Server.Messaging;

/// <summary>Messaging inside one process: one bounded channel per queue.</summary>
internal sealed partial class InProcessMessageBus(ILogger<InProcessMessageBus> logger) : IMessageBus
{
    /// <summary>Per-queue capacity; senders wait (back-pressure) rather than lose messages.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Channel<KilnMessage>> channels = new(StringComparer.Ordinal);

    public bool IsDurable => false;

    // Channels in this process cannot become unreachable.
    public bool IsUsable => true;

    public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) =>
        Channel(queue).Writer.WriteAsync(message, cancellationToken);

    public IAsyncDisposable Subscribe(string queue, Func<KilnMessage, CancellationToken, Task> handler, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var reader = Channel(queue).Reader;
        var stopping = new CancellationTokenSource();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => ConsumeAsync(queue, reader, handler, stopping.Token))).ToArray();
        return new Subscription(stopping, workers);
    }

    private Channel<KilnMessage> Channel(string queue) =>
        channels.GetOrAdd(queue, _ => System.Threading.Channels.Channel.CreateBounded<KilnMessage>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        }));

    private async Task ConsumeAsync(string queue, ChannelReader<KilnMessage> reader, Func<KilnMessage, CancellationToken, Task> handler, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await handler(message, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // One bad message must not stop the queue.
                    LogHandlerFailed(logger, queue, message.GetType().Name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(600, LogLevel.Error, "Queue {Queue}: handling {Message} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string queue, string message, Exception exception);

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
