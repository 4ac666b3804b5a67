namespace Kiln.Server.Messaging;

/// <summary>
/// How roles talk: at-least-once delivery to named queues. The in-process implementation uses
/// bounded channels; a broker implementation (RabbitMQ) plugs in behind the same interface.
/// </summary>
public interface IMessageBus
{
    /// <summary>Whether queued messages survive a process restart. When false, start-up treats never-delivered requests as interrupted.</summary>
    bool IsDurable { get; }

    /// <summary>Whether messages can be sent now (a broker implementation: whether its connection is up); <c>/healthz/ready</c> reports it.</summary>
    bool IsUsable { get; }

    /// <summary>Queues a message; waits while the queue is full.</summary>
    ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken);

    /// <summary>Consumes <paramref name="queue"/> with up to <paramref name="concurrency"/> handlers at once until disposed.</summary>
    IAsyncDisposable Subscribe(string queue, Func<KilnMessage, CancellationToken, Task> handler, int concurrency);
}
