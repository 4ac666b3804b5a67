using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>group_volume_type_mapping</c>: a volume type a group's volumes may have.</summary>
internal sealed class GroupVolumeTypeMappingEntity
{
    public required string GroupId { get; set; }

    public required string VolumeTypeId { get; set; }

    /// <summary>The position in the create request, so the view lists the types in the order given.</summary>
    public int Position { get; set; }

    public static void Configure(EntityTypeBuilder<GroupVolumeTypeMappingEntity> mapping)
    {
        mapping.ToTable("group_volume_type_mapping");
        mapping.HasKey(m => new { m.GroupId, m.VolumeTypeId }).HasName("pk_group_volume_type_mapping");
        mapping.Property(m => m.GroupId).HasColumnName("group_id").HasMaxLength(36);
        mapping.Property(m => m.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        mapping.Property(m => m.Position).HasColumnName("position");
        mapping.HasOne<GroupEntity>().WithMany(g => g.VolumeTypes).HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_group_volume_type_mapping_groups_group_id");
        mapping.HasIndex(m => m.VolumeTypeId).HasDatabaseName("ix_group_volume_type_mapping_volume_type_id");
    }
}
