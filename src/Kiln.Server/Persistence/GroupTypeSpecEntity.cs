using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>group_type_specs</c>: one key of one group type.</summary>
internal sealed class GroupTypeSpecEntity
{
    public required string GroupTypeId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public static void Configure(EntityTypeBuilder<GroupTypeSpecEntity> spec)
    {
        spec.ToTable("group_type_specs");
        spec.HasKey(s => new { s.GroupTypeId, s.Key }).HasName("pk_group_type_specs");
        spec.Property(s => s.GroupTypeId).HasColumnName("group_type_id").HasMaxLength(36);
        spec.Property(s => s.Key).HasColumnName("key").HasMaxLength(255);
        spec.Property(s => s.Value).HasColumnName("value").HasMaxLength(255);
    }
}
