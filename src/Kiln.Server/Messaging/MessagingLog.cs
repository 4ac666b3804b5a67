namespace Kiln.Server.Messaging;

/// <summary>Log lines of the messaging feature: EventIds 2600–2649 and 2850–2859 (sends refused, or held back and sent again, while the broker is down).</summary>
internal static partial class MessagingLog
{
    [LoggerMessage(2600, LogLevel.Error, "Queue {Queue}: {Message} dead-lettered after {Deliveries} deliveries; its handler kept failing")]
    public static partial void DeadLettered(ILogger logger, string queue, string message, int deliveries, Exception exception);

    [LoggerMessage(2601, LogLevel.Warning, "Queue {Queue}: handling {Message} failed (delivery {Delivery} of {MaxDeliveries}); delivering it again in {Seconds} s")]
    public static partial void HandlerFailed(ILogger logger, string queue, string message, int delivery, int maxDeliveries, double seconds, Exception exception);

    [LoggerMessage(2602, LogLevel.Information, "Messaging: connected to RabbitMQ at {Endpoint}")]
    public static partial void Connected(ILogger logger, string endpoint);

    [LoggerMessage(2603, LogLevel.Warning, "Messaging: RabbitMQ at {Endpoint} is unreachable; trying again in {Seconds} s")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, double seconds, Exception exception);

    [LoggerMessage(2604, LogLevel.Warning, "Messaging: connection to RabbitMQ lost ({Reason}); reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(2605, LogLevel.Information, "Messaging: connection to RabbitMQ recovered")]
    public static partial void ConnectionRecovered(ILogger logger);

    [LoggerMessage(2606, LogLevel.Warning, "Queue {Queue}: a delivery could not be read ({Reason}); dead-lettered")]
    public static partial void Unreadable(ILogger logger, string queue, string reason);

    [LoggerMessage(2607, LogLevel.Warning, "Queue {Queue}: consuming stopped ({Reason}); subscribing again in {Seconds} s")]
    public static partial void ConsumeFailed(ILogger logger, string queue, string reason, double seconds, Exception? exception);

    [LoggerMessage(2608, LogLevel.Information, "Scheduler: volume {VolumeId} was placed on {Host} by an earlier delivery; handing it to that backend again")]
    public static partial void ResumedPlacement(ILogger logger, string volumeId, string host);

    [LoggerMessage(2856, LogLevel.Warning, "Messaging: the connection to RabbitMQ at {Endpoint} went down while a message for {Queue} was being sent ({Exception}); the broker may have it, so the request stands and the message is sent again once the broker is back")]
    public static partial void SendingAgainLater(ILogger logger, string endpoint, string queue, string exception);

    [LoggerMessage(2857, LogLevel.Information, "Messaging: the message for {Queue} held back while RabbitMQ at {Endpoint} was away is sent (attempt {Attempt})")]
    public static partial void SentAgain(ILogger logger, string queue, string endpoint, int attempt);

    [LoggerMessage(2858, LogLevel.Warning, "Messaging: sending the held-back message for {Queue} again failed (attempt {Attempt}: {Exception}: {Reason}); trying again in {Seconds} s")]
    public static partial void SendAgainFailed(ILogger logger, string queue, int attempt, string exception, string reason, double seconds);

    [LoggerMessage(2859, LogLevel.Error, "Messaging: Kiln is stopping with the message for {Queue} still not sent after {Attempt} attempt(s); the start-up clean-up of its resource settles it")]
    public static partial void SendAgainAbandoned(ILogger logger, string queue, int attempt);

    [LoggerMessage(2850, LogLevel.Warning, "Messaging: RabbitMQ at {Endpoint} is unreachable; a message for {Queue} was refused at once")]
    public static partial void SendRefused(ILogger logger, string endpoint, string queue);

    [LoggerMessage(2851, LogLevel.Error, "Messaging: undoing {What} after its message could not be sent failed; the start-up clean-up of its backend settles it")]
    public static partial void UndoFailed(ILogger logger, string what, Exception exception);
}
