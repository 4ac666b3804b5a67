using Kiln.Server.Transfers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>transfers</c>, Cinder's table and columns. An accepted transfer stays as history
/// (<c>accepted</c>, <c>destination_project_id</c>) and is hidden like Cinder's soft-deleted rows; a
/// transfer deleted before acceptance is removed.
/// </summary>
internal sealed class TransferEntity
{
    public required string Id { get; set; }

    public required string VolumeId { get; set; }

    public string? DisplayName { get; set; }

    public required string Salt { get; set; }

    public required string CryptHash { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public bool NoSnapshots { get; set; }

    public required string SourceProjectId { get; set; }

    public string? DestinationProjectId { get; set; }

    public bool Accepted { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<TransferEntity> transfer)
    {
        transfer.ToTable("transfers");
        transfer.HasKey(t => t.Id).HasName("pk_transfers");
        transfer.Property(t => t.Id).HasColumnName("id").HasMaxLength(36);
        transfer.Property(t => t.VolumeId).HasColumnName("volume_id").HasMaxLength(36);
        transfer.Property(t => t.DisplayName).HasColumnName("display_name").HasMaxLength(255);
        transfer.Property(t => t.Salt).HasColumnName("salt").HasMaxLength(255);
        transfer.Property(t => t.CryptHash).HasColumnName("crypt_hash").HasMaxLength(255);
        transfer.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        transfer.Property(t => t.NoSnapshots).HasColumnName("no_snapshots");
        transfer.Property(t => t.SourceProjectId).HasColumnName("source_project_id").HasMaxLength(255);
        transfer.Property(t => t.DestinationProjectId).HasColumnName("destination_project_id").HasMaxLength(255);
        transfer.Property(t => t.Accepted).HasColumnName("accepted");
        transfer.Property(t => t.CreatedAt).HasColumnName("created_at");
        transfer.Property(t => t.UpdatedAt).HasColumnName("updated_at");
        transfer.HasIndex(t => t.VolumeId).HasDatabaseName("ix_transfers_volume_id");
        transfer.HasIndex(t => new { t.SourceProjectId, t.CreatedAt }).HasDatabaseName("ix_transfers_source_project_id_created_at");
    }

    public static TransferEntity From(VolumeTransfer transfer) => new()
    {
        Id = transfer.Id,
        VolumeId = transfer.VolumeId,
        DisplayName = transfer.Name,
        Salt = transfer.Salt,
        CryptHash = transfer.CryptHash,
        NoSnapshots = transfer.NoSnapshots,
        SourceProjectId = transfer.SourceProjectId,
        DestinationProjectId = transfer.DestinationProjectId,
        Accepted = transfer.Accepted,
        CreatedAt = transfer.CreatedAt,
        UpdatedAt = transfer.UpdatedAt,
    };

    public VolumeTransfer ToTransfer() => new()
    {
        Id = Id,
        VolumeId = VolumeId,
        Name = DisplayName,
        Salt = Salt,
        CryptHash = CryptHash,
        NoSnapshots = NoSnapshots,
        SourceProjectId = SourceProjectId,
        DestinationProjectId = DestinationProjectId,
        Accepted = Accepted,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
