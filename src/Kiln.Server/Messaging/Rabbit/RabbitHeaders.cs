using System.Globalization;
using System.Text;

namespace Kiln.Server.Messaging.Rabbit;

/// <summary>The message headers the RabbitMQ bus sets and reads.</summary>
internal static class RabbitHeaders
{
    /// <summary>Deliveries so far, the current one included; raised each time a rejected message is published again.</summary>
    public const string DeliveryCount = "x-kiln-delivery-count";

    /// <summary>When the message was sent, in Unix milliseconds of the sender's clock (for <c>kiln_messages_wait_seconds</c>).</summary>
    public const string SentAt = "x-kiln-sent-at-ms";

    /// <summary>On a dead-lettered message: why it was moved aside.</summary>
    public const string DeadLetterReason = "x-kiln-dead-letter-reason";

    /// <summary>The suffix of the queue that holds a queue's dead letters.</summary>
    public const string DeadLetterSuffix = ".dead-letter";

    public static DateTimeOffset? ReadSentAt(IDictionary<string, object?>? headers) =>
        headers is not null && headers.TryGetValue(SentAt, out var value) && value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static int ReadDeliveryCount(IDictionary<string, object?>? headers)
    {
        if (headers is null || !headers.TryGetValue(DeliveryCount, out var value))
        {
            return 1;
        }

        // AMQP tables come back as int or long, or as bytes when a tool re-published the message.
        var count = value switch
        {
            int i => i,
            long l => (int)Math.Clamp(l, 1, int.MaxValue),
            byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 1,
        };
        return Math.Max(count, 1);
    }
}
