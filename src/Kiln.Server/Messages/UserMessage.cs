namespace Kiln.Server.Messages;

/// <summary>
/// A user message (Cinder's <c>/messages</c>, microversion 3.3): what failed for a user's resource and
/// why, in words meant for the user, kept until <see cref="ExpiresAt"/>.
/// </summary>
internal sealed record UserMessage
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Cinder's request id form, <c>req-&lt;uuid&gt;</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>VOLUME</c> or <c>VOLUME_SNAPSHOT</c>.</summary>
    public required string ResourceType { get; init; }

    public required string ResourceUuid { get; init; }

    /// <summary>Cinder's scheme <c>VOLUME_&lt;resource&gt;_&lt;action id&gt;_&lt;detail id&gt;</c>.</summary>
    public required string EventId { get; init; }

    /// <summary>Always <c>ERROR</c> today (Cinder records no other level either).</summary>
    public string MessageLevel { get; init; } = "ERROR";

    public required string Text { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Cinder's <c>guaranteed_until</c>: created_at + <c>message_ttl</c>.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
