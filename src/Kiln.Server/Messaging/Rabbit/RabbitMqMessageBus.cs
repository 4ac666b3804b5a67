using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Kiln.Server.Messaging.Rabbit;

/// <summary>
/// The bus across processes (<c>transport_url = rabbit://…</c>): durable queues, persistent messages,
/// sends that return only once the broker has confirmed them, and manual acknowledgements after the
/// handler. A consumer that dies (its channel or connection closes) leaves its unacknowledged messages
/// to the broker, which hands them to another consumer. A rejected message is published again with its
/// delivery count raised (so the count survives across consumers), then acknowledged; once the count is
/// spent it goes to <c>&lt;queue&gt;.dead-letter</c>. The connection is made in the background with backoff
/// and recovered by the client after a loss; <see cref="IsUsable"/> is false meanwhile.
/// </summary>
internal sealed class RabbitMqMessageBus : IMessageBus, IAsyncDisposable
{
    private readonly RabbitTransport transport;
    private readonly RabbitOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly MessagingMetrics metrics;
    private readonly CancellationTokenSource disposing = new();
    private readonly TaskCompletionSource<IConnection> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, byte> declared = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim publishing = new(1, 1);
    private readonly Task connecting;
    private IChannel? publisher;
    private readonly TaskCompletionSource firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool connectFailed;

    public RabbitMqMessageBus(
        RabbitTransport transport, RabbitOptions options, RedeliveryPolicy policy, MessagingMetrics metrics, TimeProvider timeProvider, ILogger<RabbitMqMessageBus> logger)
    {
        this.transport = transport;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics;
        Runner = new DeliveryRunner(policy, metrics, timeProvider, logger);
        connecting = ConnectAsync(disposing.Token);
    }

    public bool IsDurable => true;

    public bool IsUsable => connected.Task.IsCompletedSuccessfully && connected.Task.Result.IsOpen && !disposing.IsCancellationRequested;

    internal DeliveryRunner Runner { get; }

    /// <summary>
    /// The broker is known to be out of reach: a connection attempt failed and none has succeeded since,
    /// or the connection that was up is lost. Not while the first attempt is still under way, so that a
    /// request arriving just after start-up waits for it rather than being refused.
    /// </summary>
    internal bool SeenUnreachable =>
        disposing.IsCancellationRequested || (connected.Task.IsCompletedSuccessfully ? !connected.Task.Result.IsOpen : connectFailed);

    internal ILogger Logger => logger;

    /// <summary>
    /// Sends a new message, failing at once (<see cref="MessagingUnavailableException"/>) while the broker
    /// cannot be reached: the request that sends it is answered 503 in milliseconds and undoes its claim,
    /// rather than holding the caller for <see cref="RabbitOptions.SendTimeout"/> and leaving its resource
    /// transitional. Only a broker that is connected but slow to confirm is waited for.
    /// </summary>
    public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) =>
        new(PublishAsync(queue, JsonSerializer.SerializeToUtf8Bytes(message, MessageJson.Default.KilnMessage), deliveryCount: 1, reason: null, cancellationToken, failFast: true));

    public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(concurrency, ushort.MaxValue);
        Runner.Track(queue);
        return RabbitSubscription.Start(this, queue, handler, concurrency, disposing.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposing.IsCancellationRequested)
        {
            return;
        }

        await disposing.CancelAsync().ConfigureAwait(false);
        try
        {
            await connecting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (connected.Task.IsCompletedSuccessfully)
        {
            var connection = connected.Task.Result;
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
            {
                // Closing a connection the broker already dropped: nothing is left to release.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }

        connected.TrySetCanceled();
        firstAttempt.TrySetResult();
        publishing.Dispose();
        disposing.Dispose();
    }

    /// <summary>The open connection, once there is one.</summary>
    internal Task<IConnection> ConnectionAsync(CancellationToken cancellationToken) => connected.Task.WaitAsync(cancellationToken);

    /// <summary>Declares <paramref name="queue"/> (durable) and its dead-letter queue on <paramref name="channel"/>, once per queue and bus.</summary>
    internal async Task DeclareAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        if (declared.ContainsKey(queue))
        {
            return;
        }

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(queue + RabbitHeaders.DeadLetterSuffix, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        declared.TryAdd(queue, 0);
    }

    /// <summary>
    /// Publishes a persistent message and waits for the broker's confirm; while the broker is unreachable
    /// it tries again until <see cref="RabbitOptions.SendTimeout"/>, or, with <paramref name="failFast"/>,
    /// throws <see cref="MessagingUnavailableException"/> as soon as the connection is seen down. With
    /// <paramref name="reason"/> the message goes to the dead-letter queue of <paramref name="queue"/>.
    /// </summary>
    internal async Task PublishAsync(string queue, ReadOnlyMemory<byte> body, int deliveryCount, string? reason, CancellationToken cancellationToken, bool failFast = false)
    {
        if (failFast)
        {
            // Just after start-up the first connection attempt may still be under way: its outcome decides.
            await firstAttempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (SeenUnreachable)
            {
                throw Unreachable(queue);
            }
        }

        using var deadline = new CancellationTokenSource(options.SendTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, disposing.Token);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?>
            {
                [RabbitHeaders.DeliveryCount] = deliveryCount,
                [RabbitHeaders.SentAt] = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            },
        };
        if (reason is not null)
        {
            properties.Headers[RabbitHeaders.DeadLetterReason] = reason;
        }

        var target = reason is null ? queue : queue + RabbitHeaders.DeadLetterSuffix;
        var wait = TimeSpan.FromMilliseconds(100);
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            var written = false;
            try
            {
                var channel = await PublisherAsync(linked.Token).ConfigureAwait(false);
                await DeclareAsync(channel, queue, linked.Token).ConfigureAwait(false);

                // With confirmation tracking the call returns once the broker has the message (persisted,
                // for a durable queue) and throws if it was refused or, being mandatory, routed nowhere.
                written = true;
                await channel.BasicPublishAsync(string.Empty, target, mandatory: true, properties, body, linked.Token).ConfigureAwait(false);
                metrics.Sent(queue, timeProvider.GetElapsedTime(started));
                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw NotTaken(queue);
            }
            catch (Exception ex) when (Interrupted(ex) && failFast && SeenUnreachable && !cancellationToken.IsCancellationRequested)
            {
                if (written)
                {
                    // The connection went down while the broker may already have had the message (written, its
                    // confirm lost): it may be delivered, so undoing the claim could answer "not carried out"
                    // for a volume that then goes (the failover test saw it). The claim stays and the message
                    // is sent again once the broker is back; handlers are idempotent.
                    SendAgainLater(queue, body, deliveryCount, reason, ex);
                    return;
                }

                // The connection was down before this send wrote anything: the caller undoes its claim and answers 503.
                throw Unreachable(queue, ex);
            }
            catch (Exception ex) when (Interrupted(ex) && !linked.IsCancellationRequested)
            {
                // The channel closed under us (broker restart, connection loss): wait for the client's
                // recovery and publish again. At-least-once: a publish that reached the broker but whose
                // confirm was lost is sent twice, and handlers are idempotent.
            }

            try
            {
                await Task.Delay(wait, timeProvider, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The deadline came while waiting for the broker: the same answer as during a send. (A cancellation
                // escaping from here once ended the background re-send of a held-back message without a word.)
                throw NotTaken(queue);
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.RecoveryInterval.Ticks));
        }

        // A cancellation that is none of ours comes from the client (a confirm abandoned as its channel shut
        // down); a disposed channel is one another send replaced after the broker closed it.
        bool Interrupted(Exception ex) => IsTransient(ex) || ex is ObjectDisposedException || (ex is OperationCanceledException && !linked.IsCancellationRequested);
    }

    /// <summary>
    /// Publishes in the background until the broker takes the message or Kiln stops (at-least-once; lost if
    /// this process dies first). Every failed attempt is logged and followed by a pause, so nothing is lost
    /// silently and nothing spins.
    /// </summary>
    private void SendAgainLater(string queue, ReadOnlyMemory<byte> body, int deliveryCount, string? reason, Exception cause)
    {
        MessagingLog.SendingAgainLater(logger, transport.Display, queue, cause.GetType().Name);
        var token = disposing.Token;
        _ = Task.Run(async () =>
        {
            var attempt = 0;
            var wait = TimeSpan.FromMilliseconds(250);
            while (true)
            {
                attempt++;
                try
                {
                    await PublishAsync(queue, body, deliveryCount, reason, token).ConfigureAwait(false);
                    MessagingLog.SentAgain(logger, queue, transport.Display, attempt);
                    return;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    MessagingLog.SendAgainFailed(logger, queue, attempt, ex.GetType().Name, ex.Message, wait.TotalSeconds);
                }
                catch (Exception)
                {
                    MessagingLog.SendAgainAbandoned(logger, queue, attempt);
                    return;
                }

                try
                {
                    await Task.Delay(wait, timeProvider, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    MessagingLog.SendAgainAbandoned(logger, queue, attempt);
                    return;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.RecoveryInterval.Ticks));
            }
        }, CancellationToken.None);
    }

    private MessagingUnavailableException NotTaken(string queue) =>
        new($"RabbitMQ at {transport.Display} did not take the message for {queue} within {options.SendTimeout.TotalSeconds} s.");

    private MessagingUnavailableException Unreachable(string queue, Exception? inner = null)
    {
        MessagingLog.SendRefused(logger, transport.Display, queue);
        var message = $"RabbitMQ at {transport.Display} is unreachable; the message for {queue} was not sent.";
        return inner is null ? new MessagingUnavailableException(message) : new MessagingUnavailableException(message, inner);
    }

    internal static bool IsTransient(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or PublishException or IOException or BrokerUnreachableException or TimeoutException;

    private async Task<IChannel> PublisherAsync(CancellationToken cancellationToken)
    {
        if (publisher is { IsOpen: true } open)
        {
            return open;
        }

        await publishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (publisher is { IsOpen: true } again)
            {
                return again;
            }

            var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.IsOpen)
            {
                // The client's recovery reopens the channel with the connection: disposing it now would break
                // the sends still waiting on it, and a new one cannot be made before the connection is back.
                throw new ConnectionRecoveringException(transport.Display);
            }

            if (publisher is not null)
            {
                // A channel closed by the broker while the connection stayed open is not recovered: replace it.
                await publisher.DisposeAsync().ConfigureAwait(false);
                declared.Clear();
            }

            publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
            return publisher;
        }
        finally
        {
            publishing.Release();
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            UserName = transport.UserName,
            Password = transport.Password,
            VirtualHost = transport.VirtualHost,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = options.RecoveryInterval,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            ClientProvidedName = options.ClientName,
        };
        var wait = options.ConnectBackoffInitial;
        while (true)
        {
            try
            {
                var connection = await factory.CreateConnectionAsync(transport.Endpoints, cancellationToken).ConfigureAwait(false);
                connection.ConnectionShutdownAsync += (_, args) =>
                {
                    if (!disposing.IsCancellationRequested)
                    {
                        MessagingLog.ConnectionLost(logger, args.ReplyText);
                    }

                    return Task.CompletedTask;
                };
                connection.RecoverySucceededAsync += (_, _) =>
                {
                    MessagingLog.ConnectionRecovered(logger);
                    return Task.CompletedTask;
                };
                MessagingLog.Connected(logger, transport.Display);
                connected.TrySetResult(connection);
                firstAttempt.TrySetResult();
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                connectFailed = true;
                firstAttempt.TrySetResult();
                MessagingLog.ConnectFailed(logger, transport.Display, wait.TotalSeconds, ex);
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.ConnectBackoffMax.Ticks));
            }
        }
    }
}

/// <summary>A send found the connection to the broker down and the client recovering it: try again shortly.</summary>
internal sealed class ConnectionRecoveringException(string endpoint)
    : IOException($"The connection to RabbitMQ at {endpoint} is down; the client is recovering it.");
