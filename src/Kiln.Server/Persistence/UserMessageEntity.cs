using Kiln.Server.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>messages</c> (Cinder's table name and columns, with the text stored rather than derived).</summary>
internal sealed class UserMessageEntity
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public required string RequestId { get; set; }

    public required string ResourceType { get; set; }

    public required string ResourceUuid { get; set; }

    public required string EventId { get; set; }

    public required string MessageLevel { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public static void Configure(EntityTypeBuilder<UserMessageEntity> message)
    {
        message.ToTable("messages");
        message.HasKey(m => m.Id).HasName("pk_messages");
        message.Property(m => m.Id).HasColumnName("id").HasMaxLength(36);
        message.Property(m => m.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        message.Property(m => m.RequestId).HasColumnName("request_id").HasMaxLength(255);
        message.Property(m => m.ResourceType).HasColumnName("resource_type").HasMaxLength(255);
        message.Property(m => m.ResourceUuid).HasColumnName("resource_uuid").HasMaxLength(36);
        message.Property(m => m.EventId).HasColumnName("event_id").HasMaxLength(255);
        message.Property(m => m.MessageLevel).HasColumnName("message_level").HasMaxLength(255);
        message.Property(m => m.Text).HasColumnName("user_message");
        message.Property(m => m.CreatedAt).HasColumnName("created_at");
        message.Property(m => m.ExpiresAt).HasColumnName("expires_at");
        message.HasIndex(m => new { m.ProjectId, m.CreatedAt }).HasDatabaseName("ix_messages_project_id_created_at");
        message.HasIndex(m => m.ExpiresAt).HasDatabaseName("ix_messages_expires_at");
    }

    public static UserMessageEntity From(UserMessage message) => new()
    {
        Id = message.Id,
        ProjectId = message.ProjectId,
        RequestId = message.RequestId,
        ResourceType = message.ResourceType,
        ResourceUuid = message.ResourceUuid,
        EventId = message.EventId,
        MessageLevel = message.MessageLevel,
        Text = message.Text,
        CreatedAt = message.CreatedAt,
        ExpiresAt = message.ExpiresAt,
    };

    public UserMessage ToMessage() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        RequestId = RequestId,
        ResourceType = ResourceType,
        ResourceUuid = ResourceUuid,
        EventId = EventId,
        MessageLevel = MessageLevel,
        Text = Text,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
    };
}
