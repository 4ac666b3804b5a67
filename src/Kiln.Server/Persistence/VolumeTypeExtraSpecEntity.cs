using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>volume_type_extra_specs</c>: one key of one type.</summary>
internal sealed class VolumeTypeExtraSpecEntity
{
    public required string VolumeTypeId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public static void Configure(EntityTypeBuilder<VolumeTypeExtraSpecEntity> spec)
    {
        spec.ToTable("volume_type_extra_specs");
        spec.HasKey(s => new { s.VolumeTypeId, s.Key }).HasName("pk_volume_type_extra_specs");
        spec.Property(s => s.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        spec.Property(s => s.Key).HasColumnName("key").HasMaxLength(255);
        spec.Property(s => s.Value).HasColumnName("value").HasMaxLength(255);
    }
}
