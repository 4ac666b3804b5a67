using Kiln.Server.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>group_types</c> (Cinder's table); names are unique.</summary>
internal sealed class GroupTypeEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public bool IsPublic { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public List<GroupTypeSpecEntity> Specs { get; } = [];

    public static void Configure(EntityTypeBuilder<GroupTypeEntity> type)
    {
        type.ToTable("group_types");
        type.HasKey(t => t.Id).HasName("pk_group_types");
        type.Property(t => t.Id).HasColumnName("id").HasMaxLength(36);
        type.Property(t => t.Name).HasColumnName("name").HasMaxLength(255);
        type.Property(t => t.Description).HasColumnName("description").HasMaxLength(255);
        type.Property(t => t.IsPublic).HasColumnName("is_public");
        type.Property(t => t.CreatedAt).HasColumnName("created_at");
        type.Property(t => t.UpdatedAt).HasColumnName("updated_at");
        type.HasIndex(t => t.Name).IsUnique().HasDatabaseName("ux_group_types_name");
        type.HasMany(t => t.Specs).WithOne().HasForeignKey(s => s.GroupTypeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_group_type_specs_group_types_group_type_id");
    }

    public GroupType ToGroupType() => new()
    {
        Id = Id,
        Name = Name,
        Description = Description,
        IsPublic = IsPublic,
        GroupSpecs = Specs.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal).AsReadOnly(),
    };
}
