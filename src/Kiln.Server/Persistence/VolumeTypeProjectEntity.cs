using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>volume_type_projects</c>: a project that may use a private volume type. Goes with its type.</summary>
internal sealed class VolumeTypeProjectEntity
{
    public required string VolumeTypeId { get; set; }

    public required string ProjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<VolumeTypeProjectEntity> access)
    {
        access.ToTable("volume_type_projects");
        access.HasKey(a => new { a.VolumeTypeId, a.ProjectId }).HasName("pk_volume_type_projects");
        access.Property(a => a.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        access.Property(a => a.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        access.Property(a => a.CreatedAt).HasColumnName("created_at");
        access.HasIndex(a => a.ProjectId).HasDatabaseName("ix_volume_type_projects_project_id");
        access.HasOne<VolumeTypeEntity>().WithMany().HasForeignKey(a => a.VolumeTypeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_volume_type_projects_volume_types_volume_type_id");
    }
}
