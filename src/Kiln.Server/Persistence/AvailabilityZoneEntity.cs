using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>availability_zones</c>: a zone some node has served.</summary>
internal sealed class AvailabilityZoneEntity
{
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<AvailabilityZoneEntity> zone)
    {
        zone.ToTable("availability_zones");
        zone.HasKey(z => z.Name).HasName("pk_availability_zones");
        zone.Property(z => z.Name).HasColumnName("name").HasMaxLength(255);
        zone.Property(z => z.CreatedAt).HasColumnName("created_at");
    }
}
