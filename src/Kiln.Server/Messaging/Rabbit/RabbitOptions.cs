namespace Kiln.Server.Messaging.Rabbit;

/// <summary>Timing of the RabbitMQ bus; the defaults suit a node, tests shorten them.</summary>
internal sealed record RabbitOptions
{
    public static RabbitOptions Default { get; } = new();

    /// <summary>The first wait after a failed connection attempt at start-up; doubles up to <see cref="ConnectBackoffMax"/>.</summary>
    public TimeSpan ConnectBackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two connection attempts at start-up.</summary>
    public TimeSpan ConnectBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between two reconnection attempts after a connection that was up is lost (the client's automatic recovery).</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a send waits for the broker to confirm, before it fails: a request answered with an error
    /// is better than one that hangs for as long as the broker does not answer. A broker seen unreachable
    /// fails a new send at once (<see cref="RabbitMqMessageBus.SendAsync"/>); this bounds a connected broker
    /// that holds its confirms (a memory or disk alarm blocks publishers) and the redelivery publishes.
    /// </summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This node's name in the broker's connection list (<c>kiln@host</c>).</summary>
    public string ClientName { get; init; } = "kiln";
}
