namespace Kiln.Server.Messaging;

/// <summary>
/// One delivery of a message to a handler. <see cref="DeliveryCount"/> is 1 the first time; a message
/// rejected by a handler comes back with the count raised. <see cref="Redelivered"/> is also set when a
/// broker hands out again a message whose consumer died before acknowledging it (that delivery may
/// already have been carried out in part, so the handler resumes from the database state).
/// </summary>
public sealed record MessageDelivery(string Queue, KilnMessage Message, int DeliveryCount, bool Redelivered)
{
    /// <summary>When this delivery was sent (the sender's clock); null when the sender did not say (an older node).</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>A message's first delivery.</summary>
    public static MessageDelivery First(string queue, KilnMessage message) => new(queue, message, 1, Redelivered: false);

    /// <summary>The delivery after this one was rejected.</summary>
    public MessageDelivery Next() => this with { DeliveryCount = DeliveryCount + 1, Redelivered = true };
}
