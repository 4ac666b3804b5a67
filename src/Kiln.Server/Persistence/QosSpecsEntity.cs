using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>quality_of_service_specs</c> (Cinder's table name): one QoS specs entity. Cinder keeps
/// each key as a child row of the same table; Kiln keeps the keys as one JSON object beside the name,
/// since they are always read and written together.
/// </summary>
internal sealed class QosSpecsEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Consumer { get; set; }

    /// <summary>The keys and values as a JSON object (<see cref="MetadataJson"/>).</summary>
    public required string Specs { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<QosSpecsEntity> qos)
    {
        qos.ToTable("quality_of_service_specs");
        qos.HasKey(q => q.Id).HasName("pk_quality_of_service_specs");
        qos.Property(q => q.Id).HasColumnName("id").HasMaxLength(36);
        qos.Property(q => q.Name).HasColumnName("name").HasMaxLength(255);
        qos.Property(q => q.Consumer).HasColumnName("consumer").HasMaxLength(16);
        qos.Property(q => q.Specs).HasColumnName("specs");
        qos.Property(q => q.CreatedAt).HasColumnName("created_at");
        qos.Property(q => q.UpdatedAt).HasColumnName("updated_at");
        qos.HasIndex(q => q.Name).IsUnique().HasDatabaseName("ux_quality_of_service_specs_name");
    }
}
