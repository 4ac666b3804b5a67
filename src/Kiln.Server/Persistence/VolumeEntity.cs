using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>volumes</c>; column names follow Cinder's schema where Cinder has the column.</summary>
internal sealed class VolumeEntity : IListedEntity
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public string? UserId { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public int Size { get; set; }

    /// <summary>The wire name (<c>error_deleting</c>); the concurrency token of conditional updates.</summary>
    public required string Status { get; set; }

    public string? Host { get; set; }

    public required string AvailabilityZone { get; set; }

    public string? VolumeTypeId { get; set; }

    public string? SourceSnapshotId { get; set; }

    public string? SourceVolumeId { get; set; }

    public string? GroupId { get; set; }

    public string? ProviderLocation { get; set; }

    /// <summary>Cinder's provider_auth (export credentials); never shown by the API.</summary>
    public string? ProviderAuth { get; set; }

    /// <summary>Cinder's provider_id.</summary>
    public string? ProviderId { get; set; }

    public string? ErrorReason { get; set; }

    /// <summary>Cinder's <c>migration_status</c>: null, <c>migrating</c>, <c>success</c> or <c>error</c>.</summary>
    public string? MigrationStatus { get; set; }

    public required string Metadata { get; set; }

    public bool Bootable { get; set; }

    /// <summary>Cinder's volume admin metadata as a JSON object (<c>{"readonly": "True"}</c>); null when there is none.</summary>
    public string? AdminMetadata { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<VolumeEntity> volume)
    {
        volume.ToTable("volumes");
        volume.HasKey(v => v.Id).HasName("pk_volumes");
        volume.Property(v => v.Id).HasColumnName("id").HasMaxLength(36);
        volume.Property(v => v.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        volume.Property(v => v.UserId).HasColumnName("user_id").HasMaxLength(255);
        volume.Property(v => v.Name).HasColumnName("display_name").HasMaxLength(255);
        volume.Property(v => v.Description).HasColumnName("display_description");
        volume.Property(v => v.Size).HasColumnName("size");
        volume.Property(v => v.Status).HasColumnName("status").HasMaxLength(32).IsConcurrencyToken();
        volume.Property(v => v.Host).HasColumnName("host").HasMaxLength(255);
        volume.Property(v => v.AvailabilityZone).HasColumnName("availability_zone").HasMaxLength(255);
        volume.Property(v => v.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        volume.Property(v => v.SourceSnapshotId).HasColumnName("snapshot_id").HasMaxLength(36);
        volume.Property(v => v.SourceVolumeId).HasColumnName("source_volid").HasMaxLength(36);
        volume.Property(v => v.GroupId).HasColumnName("group_id").HasMaxLength(36);
        volume.Property(v => v.ProviderLocation).HasColumnName("provider_location");
        volume.Property(v => v.ProviderAuth).HasColumnName("provider_auth");
        volume.Property(v => v.ProviderId).HasColumnName("provider_id").HasMaxLength(255);
        volume.Property(v => v.ErrorReason).HasColumnName("error_reason");
        volume.Property(v => v.MigrationStatus).HasColumnName("migration_status").HasMaxLength(255);
        volume.Property(v => v.Metadata).HasColumnName("metadata");
        volume.Property(v => v.Bootable).HasColumnName("bootable");
        volume.Property(v => v.AdminMetadata).HasColumnName("admin_metadata");
        volume.Property(v => v.CreatedAt).HasColumnName("created_at");
        volume.Property(v => v.UpdatedAt).HasColumnName("updated_at");
        volume.HasIndex(v => new { v.ProjectId, v.CreatedAt }).HasDatabaseName("ix_volumes_project_id_created_at");
        volume.HasIndex(v => v.Host).HasDatabaseName("ix_volumes_host");
        volume.HasIndex(v => v.VolumeTypeId).HasDatabaseName("ix_volumes_volume_type_id");
        volume.HasIndex(v => v.GroupId).HasDatabaseName("ix_volumes_group_id");
    }

    public static VolumeEntity From(Volume volume)
    {
        var entity = new VolumeEntity { Id = volume.Id, ProjectId = volume.ProjectId, Status = string.Empty, AvailabilityZone = string.Empty, Metadata = string.Empty };
        entity.Apply(volume);
        return entity;
    }

    /// <summary>Copies every field but the id, which never changes.</summary>
    public void Apply(Volume volume)
    {
        ProjectId = volume.ProjectId;
        UserId = volume.UserId;
        Name = volume.Name;
        Description = volume.Description;
        Size = volume.SizeGb;
        Status = volume.Status.ToWireName();
        Host = volume.Host;
        AvailabilityZone = volume.AvailabilityZone;
        VolumeTypeId = volume.VolumeTypeId;
        SourceSnapshotId = volume.SourceSnapshotId;
        SourceVolumeId = volume.SourceVolumeId;
        GroupId = volume.GroupId;
        ProviderLocation = volume.ProviderLocation;
        ProviderAuth = volume.ProviderAuth;
        ProviderId = volume.ProviderId;
        ErrorReason = volume.ErrorReason;
        MigrationStatus = volume.MigrationStatus;
        Metadata = MetadataJson.Serialize(volume.Metadata);
        Bootable = volume.Bootable;
        AdminMetadata = volume.AdminMetadata.Count == 0 ? null : MetadataJson.Serialize(volume.AdminMetadata);
        CreatedAt = volume.CreatedAt;
        UpdatedAt = volume.UpdatedAt;
    }

    public Volume ToVolume() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        UserId = UserId,
        Name = Name,
        Description = Description,
        SizeGb = Size,
        Status = StatusNames.TryParseVolume(Status, out var status)
            ? status
            : throw new InvalidOperationException($"Volume {Id} has status '{Status}' in the database, which Kiln does not know."),
        Host = Host,
        AvailabilityZone = AvailabilityZone,
        VolumeTypeId = VolumeTypeId,
        SourceSnapshotId = SourceSnapshotId,
        SourceVolumeId = SourceVolumeId,
        GroupId = GroupId,
        ProviderLocation = ProviderLocation,
        ProviderAuth = ProviderAuth,
        ProviderId = ProviderId,
        ErrorReason = ErrorReason,
        MigrationStatus = MigrationStatus,
        Metadata = MetadataJson.Deserialize(Metadata),
        Bootable = Bootable,
        AdminMetadata = AdminMetadata is null ? new Dictionary<string, string>() : MetadataJson.Deserialize(AdminMetadata),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
