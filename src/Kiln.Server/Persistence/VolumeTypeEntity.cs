using Kiln.Core.Volumes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>volume_types</c>; names are unique ignoring case, like Cinder's on MySQL. The unique
/// index on lower(name) is created by raw SQL in the CaseInsensitiveTypeNames migration (EF Core does
/// not model expression indexes): a later migration that rebuilds this table on SQLite must create it again.
/// </summary>
internal sealed class VolumeTypeEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public bool IsPublic { get; set; }

    /// <summary>The associated <c>quality_of_service_specs</c> row, or null (Cinder's column; no foreign key, so adding it rebuilds nothing).</summary>
    public string? QosSpecsId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public List<VolumeTypeExtraSpecEntity> ExtraSpecs { get; } = [];

    public static void Configure(EntityTypeBuilder<VolumeTypeEntity> type)
    {
        type.ToTable("volume_types");
        type.HasKey(t => t.Id).HasName("pk_volume_types");
        type.Property(t => t.Id).HasColumnName("id").HasMaxLength(36);
        type.Property(t => t.Name).HasColumnName("name").HasMaxLength(255);
        type.Property(t => t.Description).HasColumnName("description").HasMaxLength(255);
        type.Property(t => t.IsPublic).HasColumnName("is_public");
        type.Property(t => t.QosSpecsId).HasColumnName("qos_specs_id").HasMaxLength(36);
        type.Property(t => t.CreatedAt).HasColumnName("created_at");
        type.Property(t => t.UpdatedAt).HasColumnName("updated_at");
        type.HasIndex(t => t.Name).IsUnique().HasDatabaseName("ux_volume_types_name");
        type.HasMany(t => t.ExtraSpecs).WithOne().HasForeignKey(s => s.VolumeTypeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_volume_type_extra_specs_volume_types_volume_type_id");
    }

    public static VolumeTypeEntity From(VolumeType type, DateTimeOffset createdAt)
    {
        var entity = new VolumeTypeEntity { Id = type.Id, Name = type.Name, Description = type.Description, IsPublic = type.IsPublic, CreatedAt = createdAt };
        entity.ExtraSpecs.AddRange(type.ExtraSpecs.Select(spec => new VolumeTypeExtraSpecEntity { VolumeTypeId = type.Id, Key = spec.Key, Value = spec.Value }));
        return entity;
    }

    public VolumeType ToVolumeType() => new()
    {
        Id = Id,
        Name = Name,
        Description = Description,
        IsPublic = IsPublic,
        QosSpecsId = QosSpecsId,
        ExtraSpecs = ExtraSpecs.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal).AsReadOnly(),
    };
}
