using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>quota_reservations</c>: the gigabytes an extend in progress adds to its volume. It
/// counts as reserved only while the volume is <c>extending</c>: once the extend ends (the size grew,
/// or it failed) the row is stale and the next extend of the volume replaces it.
/// </summary>
internal sealed class QuotaReservationEntity
{
    public required string VolumeId { get; set; }

    public required string ProjectId { get; set; }

    public int Gigabytes { get; set; }

    public static void Configure(EntityTypeBuilder<QuotaReservationEntity> reservation)
    {
        reservation.ToTable("quota_reservations");
        reservation.HasKey(r => r.VolumeId).HasName("pk_quota_reservations");
        reservation.Property(r => r.VolumeId).HasColumnName("volume_id").HasMaxLength(36);
        reservation.Property(r => r.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        reservation.Property(r => r.Gigabytes).HasColumnName("gigabytes");
        reservation.HasIndex(r => r.ProjectId).HasDatabaseName("ix_quota_reservations_project_id");
    }
}
