using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>A user message (3.3): what failed asynchronously, on which resource, and until when Kiln keeps it.</summary>
internal sealed record MessageRecord(
    string Id,
    string? EventId,
    string? UserMessage,
    string? MessageLevel,
    string? ResourceType,
    string? ResourceUuid,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? GuaranteedUntil,
    string? RequestId)
{
    public static MessageRecord FromJson(JsonElement message) => new(
        Id: message.RequiredString("id"),
        EventId: message.String("event_id"),
        UserMessage: message.String("user_message"),
        MessageLevel: message.String("message_level"),
        ResourceType: message.String("resource_type"),
        ResourceUuid: message.String("resource_uuid"),
        CreatedAt: message.Timestamp("created_at"),
        GuaranteedUntil: message.Timestamp("guaranteed_until"),
        RequestId: message.String("request_id"));
}
