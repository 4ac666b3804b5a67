using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>snapshots</c>; its volume must exist (foreign key), so a volume with snapshots cannot be removed.</summary>
internal sealed class SnapshotEntity : IListedEntity
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public string? UserId { get; set; }

    public required string VolumeId { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public int Size { get; set; }

    /// <summary>The wire name (<c>error_deleting</c>); the concurrency token of conditional updates.</summary>
    public required string Status { get; set; }

    public string? GroupSnapshotId { get; set; }

    public string? ProviderLocation { get; set; }

    /// <summary>Cinder's provider_auth (export credentials); never shown by the API.</summary>
    public string? ProviderAuth { get; set; }

    /// <summary>Cinder's provider_id.</summary>
    public string? ProviderId { get; set; }

    public string? ErrorReason { get; set; }

    public required string Metadata { get; set; }

    public string? Progress { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<SnapshotEntity> snapshot)
    {
        snapshot.ToTable("snapshots");
        snapshot.HasKey(s => s.Id).HasName("pk_snapshots");
        snapshot.Property(s => s.Id).HasColumnName("id").HasMaxLength(36);
        snapshot.Property(s => s.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        snapshot.Property(s => s.UserId).HasColumnName("user_id").HasMaxLength(255);
        snapshot.Property(s => s.VolumeId).HasColumnName("volume_id").HasMaxLength(36);
        snapshot.Property(s => s.Name).HasColumnName("display_name").HasMaxLength(255);
        snapshot.Property(s => s.Description).HasColumnName("display_description");
        snapshot.Property(s => s.Size).HasColumnName("volume_size");
        snapshot.Property(s => s.Status).HasColumnName("status").HasMaxLength(32).IsConcurrencyToken();
        snapshot.Property(s => s.GroupSnapshotId).HasColumnName("group_snapshot_id").HasMaxLength(36);
        snapshot.Property(s => s.ProviderLocation).HasColumnName("provider_location");
        snapshot.Property(s => s.ProviderAuth).HasColumnName("provider_auth");
        snapshot.Property(s => s.ProviderId).HasColumnName("provider_id").HasMaxLength(255);
        snapshot.Property(s => s.ErrorReason).HasColumnName("error_reason");
        snapshot.Property(s => s.Metadata).HasColumnName("metadata");
        snapshot.Property(s => s.Progress).HasColumnName("progress").HasMaxLength(255);
        snapshot.Property(s => s.CreatedAt).HasColumnName("created_at");
        snapshot.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        snapshot.HasOne<VolumeEntity>().WithMany().HasForeignKey(s => s.VolumeId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_snapshots_volumes_volume_id");
        snapshot.HasIndex(s => s.VolumeId).HasDatabaseName("ix_snapshots_volume_id");
        snapshot.HasIndex(s => s.GroupSnapshotId).HasDatabaseName("ix_snapshots_group_snapshot_id");
        snapshot.HasIndex(s => new { s.ProjectId, s.CreatedAt }).HasDatabaseName("ix_snapshots_project_id_created_at");
    }

    public static SnapshotEntity From(Snapshot snapshot)
    {
        var entity = new SnapshotEntity { Id = snapshot.Id, ProjectId = snapshot.ProjectId, VolumeId = snapshot.VolumeId, Status = string.Empty, Metadata = string.Empty };
        entity.Apply(snapshot);
        return entity;
    }

    /// <summary>Copies every field but the id, which never changes.</summary>
    public void Apply(Snapshot snapshot)
    {
        ProjectId = snapshot.ProjectId;
        UserId = snapshot.UserId;
        VolumeId = snapshot.VolumeId;
        Name = snapshot.Name;
        Description = snapshot.Description;
        Size = snapshot.SizeGb;
        Status = snapshot.Status.ToWireName();
        GroupSnapshotId = snapshot.GroupSnapshotId;
        ProviderLocation = snapshot.ProviderLocation;
        ProviderAuth = snapshot.ProviderAuth;
        ProviderId = snapshot.ProviderId;
        ErrorReason = snapshot.ErrorReason;
        Metadata = MetadataJson.Serialize(snapshot.Metadata);
        Progress = snapshot.Progress;
        CreatedAt = snapshot.CreatedAt;
        UpdatedAt = snapshot.UpdatedAt;
    }

    public Snapshot ToSnapshot() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        UserId = UserId,
        VolumeId = VolumeId,
        Name = Name,
        Description = Description,
        SizeGb = Size,
        Status = StatusNames.TryParseSnapshot(Status, out var status)
            ? status
            : throw new InvalidOperationException($"Snapshot {Id} has status '{Status}' in the database, which Kiln does not know."),
        GroupSnapshotId = GroupSnapshotId,
        ProviderLocation = ProviderLocation,
        ProviderAuth = ProviderAuth,
        ProviderId = ProviderId,
        ErrorReason = ErrorReason,
        Metadata = MetadataJson.Deserialize(Metadata),
        Progress = Progress,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
