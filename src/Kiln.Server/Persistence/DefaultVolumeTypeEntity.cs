using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>default_volume_types</c> (3.62): the type a project's volumes get when a create names none.</summary>
internal sealed class DefaultVolumeTypeEntity
{
    public required string ProjectId { get; set; }

    public required string VolumeTypeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<DefaultVolumeTypeEntity> defaults)
    {
        defaults.ToTable("default_volume_types");
        defaults.HasKey(d => d.ProjectId).HasName("pk_default_volume_types");
        defaults.Property(d => d.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        defaults.Property(d => d.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        defaults.Property(d => d.CreatedAt).HasColumnName("created_at");
        defaults.Property(d => d.UpdatedAt).HasColumnName("updated_at");
        defaults.HasIndex(d => d.VolumeTypeId).HasDatabaseName("ix_default_volume_types_volume_type_id");

        // The API refuses to delete a type that is some project's default; the cascade only keeps the
        // table consistent should a type go another way.
        defaults.HasOne<VolumeTypeEntity>().WithMany().HasForeignKey(d => d.VolumeTypeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_default_volume_types_volume_types_volume_type_id");
    }
}
