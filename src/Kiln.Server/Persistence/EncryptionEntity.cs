using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>encryption</c> (Cinder's table name): the encryption of one volume type. Goes with its type.</summary>
internal sealed class EncryptionEntity
{
    public required string EncryptionId { get; set; }

    public required string VolumeTypeId { get; set; }

    public required string Provider { get; set; }

    public string? Cipher { get; set; }

    public int? KeySize { get; set; }

    public required string ControlLocation { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<EncryptionEntity> encryption)
    {
        encryption.ToTable("encryption");
        encryption.HasKey(e => e.EncryptionId).HasName("pk_encryption");
        encryption.Property(e => e.EncryptionId).HasColumnName("encryption_id").HasMaxLength(36);
        encryption.Property(e => e.VolumeTypeId).HasColumnName("volume_type_id").HasMaxLength(36);
        encryption.Property(e => e.Provider).HasColumnName("provider").HasMaxLength(255);
        encryption.Property(e => e.Cipher).HasColumnName("cipher").HasMaxLength(255);
        encryption.Property(e => e.KeySize).HasColumnName("key_size");
        encryption.Property(e => e.ControlLocation).HasColumnName("control_location").HasMaxLength(255);
        encryption.Property(e => e.CreatedAt).HasColumnName("created_at");
        encryption.Property(e => e.UpdatedAt).HasColumnName("updated_at");

        // One encryption per type: a second create loses on this index, not on a check another node may race.
        encryption.HasIndex(e => e.VolumeTypeId).IsUnique().HasDatabaseName("ux_encryption_volume_type_id");
        encryption.HasOne<VolumeTypeEntity>().WithMany().HasForeignKey(e => e.VolumeTypeId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_encryption_volume_types_volume_type_id");
    }
}
