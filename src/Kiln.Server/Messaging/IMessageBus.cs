namespace Kiln.Server.Messaging;

/// <summary>
/// How roles talk: at-least-once delivery to named queues. A handler that completes acknowledges its
/// message (handlers return only after their database write); a handler that throws rejects it, and the
/// message is delivered again after a backoff, up to <see cref="RedeliveryPolicy.MaxDeliveries"/> times, then
/// dead-lettered with a log line and <c>kiln_messages_dead_lettered_total{queue}</c>. Because any message
/// may arrive more than once, handlers decide what to do from the database state of the resource the
/// message names, never from memory of an earlier delivery. The in-process implementation uses bounded
/// channels; the RabbitMQ implementation (<c>transport_url</c>) keeps the same contract across processes.
/// </summary>
public interface IMessageBus
{
    /// <summary>Whether queued messages survive a process restart. When false, start-up treats never-delivered requests as interrupted.</summary>
    bool IsDurable { get; }

    /// <summary>Whether messages can be sent now (a broker implementation: whether its connection is up); <c>/healthz/ready</c> reports it.</summary>
    bool IsUsable { get; }

    /// <summary>Queues a message; waits while the queue is full. A broker implementation returns once the broker has confirmed it.</summary>
    ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Consumes <paramref name="queue"/> with up to <paramref name="concurrency"/> handlers at once until disposed.
    /// The handler's completion acknowledges the delivery; an exception rejects it (see the type's remarks).
    /// </summary>
    IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency);
}
