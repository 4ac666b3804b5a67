using Kiln.Server.Messaging;

namespace Kiln.Server.Tests.Messaging;

/// <summary>
/// Wraps the server's bus: counts the deliveries its handlers have finished (so a test knows when a
/// message it sent has been dealt with), and can hand a message to its handler as a redelivery.
/// </summary>
internal sealed class ObservedBus(IMessageBus inner) : IMessageBus
{
    private readonly HashSet<KilnMessage> redeliver = [];
    private int handled;

    public int Handled => Volatile.Read(ref handled);

    public bool IsDurable => inner.IsDurable;

    public bool IsUsable => inner.IsUsable;

    /// <summary>Sends <paramref name="message"/> so that its handler sees it as a second, redelivered delivery.</summary>
    public ValueTask SendRedeliveredAsync(string queue, KilnMessage message, CancellationToken cancellationToken)
    {
        lock (redeliver)
        {
            redeliver.Add(message);
        }

        return inner.SendAsync(queue, message, cancellationToken);
    }

    public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) => inner.SendAsync(queue, message, cancellationToken);

    public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency) =>
        inner.Subscribe(queue, async (delivery, ct) =>
        {
            bool again;
            lock (redeliver)
            {
                again = redeliver.Remove(delivery.Message);
            }

            try
            {
                await handler(again ? delivery.Next() : delivery, ct);
            }
            finally
            {
                Interlocked.Increment(ref handled);
            }
        }, concurrency);
}
