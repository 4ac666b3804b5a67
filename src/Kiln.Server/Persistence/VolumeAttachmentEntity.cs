using Kiln.Core.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of Cinder's <c>volume_attachment</c>, with its column names. Kiln removes a detached row
/// rather than marking it deleted; removing the volume removes its rows (ON DELETE CASCADE).
/// </summary>
internal sealed class VolumeAttachmentEntity
{
    public required string Id { get; set; }

    public required string VolumeId { get; set; }

    public string? InstanceUuid { get; set; }

    public string? AttachedHost { get; set; }

    public string? Mountpoint { get; set; }

    public DateTimeOffset? AttachTime { get; set; }

    public DateTimeOffset? DetachTime { get; set; }

    public required string AttachStatus { get; set; }

    public string? AttachMode { get; set; }

    public string? ConnectionInfo { get; set; }

    public string? Connector { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<VolumeAttachmentEntity> attachment)
    {
        attachment.ToTable("volume_attachment");
        attachment.HasKey(a => a.Id).HasName("pk_volume_attachment");
        attachment.Property(a => a.Id).HasColumnName("id").HasMaxLength(36);
        attachment.Property(a => a.VolumeId).HasColumnName("volume_id").HasMaxLength(36);
        attachment.Property(a => a.InstanceUuid).HasColumnName("instance_uuid").HasMaxLength(36);
        attachment.Property(a => a.AttachedHost).HasColumnName("attached_host").HasMaxLength(255);
        attachment.Property(a => a.Mountpoint).HasColumnName("mountpoint").HasMaxLength(255);
        attachment.Property(a => a.AttachTime).HasColumnName("attach_time");
        attachment.Property(a => a.DetachTime).HasColumnName("detach_time");
        attachment.Property(a => a.AttachStatus).HasColumnName("attach_status").HasMaxLength(255);
        attachment.Property(a => a.AttachMode).HasColumnName("attach_mode").HasMaxLength(36);
        attachment.Property(a => a.ConnectionInfo).HasColumnName("connection_info");
        attachment.Property(a => a.Connector).HasColumnName("connector");
        attachment.Property(a => a.CreatedAt).HasColumnName("created_at");
        attachment.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        attachment.HasIndex(a => a.VolumeId).HasDatabaseName("ix_volume_attachment_volume_id");
        attachment.HasOne<VolumeEntity>().WithMany().HasForeignKey(a => a.VolumeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_volume_attachment_volumes_volume_id");
    }

    public static VolumeAttachmentEntity From(VolumeAttachment attachment)
    {
        var entity = new VolumeAttachmentEntity { Id = attachment.Id, VolumeId = attachment.VolumeId, AttachStatus = string.Empty };
        entity.Apply(attachment);
        return entity;
    }

    /// <summary>Copies every field but the id.</summary>
    public void Apply(VolumeAttachment attachment)
    {
        VolumeId = attachment.VolumeId;
        InstanceUuid = attachment.InstanceUuid;
        AttachedHost = attachment.AttachedHost;
        Mountpoint = attachment.Mountpoint;
        AttachTime = attachment.AttachTime;
        DetachTime = attachment.DetachTime;
        AttachStatus = attachment.Status.ToWireName();
        AttachMode = attachment.AttachMode;
        ConnectionInfo = attachment.ConnectionInfo;
        Connector = attachment.Connector;
        CreatedAt = attachment.CreatedAt;
        UpdatedAt = attachment.UpdatedAt;
    }

    public VolumeAttachment ToAttachment() => new()
    {
        Id = Id,
        VolumeId = VolumeId,
        InstanceUuid = InstanceUuid,
        AttachedHost = AttachedHost,
        Mountpoint = Mountpoint,
        AttachTime = AttachTime,
        DetachTime = DetachTime,
        Status = AttachStatusNames.TryParse(AttachStatus, out var status)
            ? status
            : throw new InvalidOperationException($"Attachment {Id} has attach_status '{AttachStatus}' in the database, which Kiln does not know."),
        AttachMode = AttachMode ?? VolumeAttachment.NoMode,
        ConnectionInfo = ConnectionInfo,
        Connector = Connector,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
