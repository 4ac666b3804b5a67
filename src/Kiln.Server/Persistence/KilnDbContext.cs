using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>Kiln's database. Short-lived: repositories take one from the pooled factory per operation.</summary>
internal sealed class KilnDbContext(DbContextOptions<KilnDbContext> options) : DbContext(options)
{
    public DbSet<VolumeEntity> Volumes => Set<VolumeEntity>();

    public DbSet<SnapshotEntity> Snapshots => Set<SnapshotEntity>();

    public DbSet<VolumeTypeEntity> VolumeTypes => Set<VolumeTypeEntity>();

    public DbSet<VolumeTypeExtraSpecEntity> VolumeTypeExtraSpecs => Set<VolumeTypeExtraSpecEntity>();

    public DbSet<ServiceEntity> Services => Set<ServiceEntity>();

    public DbSet<AvailabilityZoneEntity> AvailabilityZones => Set<AvailabilityZoneEntity>();

    public DbSet<UserMessageEntity> Messages => Set<UserMessageEntity>();

    public DbSet<QuotaEntity> Quotas => Set<QuotaEntity>();

    public DbSet<QuotaClassEntity> QuotaClasses => Set<QuotaClassEntity>();

    public DbSet<QuotaLockEntity> QuotaLocks => Set<QuotaLockEntity>();

    public DbSet<QuotaReservationEntity> QuotaReservations => Set<QuotaReservationEntity>();

    public DbSet<TransferEntity> Transfers => Set<TransferEntity>();

    public DbSet<VolumeAttachmentEntity> VolumeAttachments => Set<VolumeAttachmentEntity>();

    public DbSet<QosSpecsEntity> QosSpecs => Set<QosSpecsEntity>();

    public DbSet<VolumeTypeProjectEntity> VolumeTypeProjects => Set<VolumeTypeProjectEntity>();

    public DbSet<EncryptionEntity> Encryptions => Set<EncryptionEntity>();

    public DbSet<DefaultVolumeTypeEntity> DefaultVolumeTypes => Set<DefaultVolumeTypeEntity>();

    public DbSet<GroupTypeEntity> GroupTypes => Set<GroupTypeEntity>();

    public DbSet<GroupEntity> Groups => Set<GroupEntity>();

    public DbSet<GroupSnapshotEntity> GroupSnapshots => Set<GroupSnapshotEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestampConverter>().HaveMaxLength(UtcTimestampConverter.Width);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        VolumeEntity.Configure(modelBuilder.Entity<VolumeEntity>());
        SnapshotEntity.Configure(modelBuilder.Entity<SnapshotEntity>());
        VolumeTypeEntity.Configure(modelBuilder.Entity<VolumeTypeEntity>());
        VolumeTypeExtraSpecEntity.Configure(modelBuilder.Entity<VolumeTypeExtraSpecEntity>());
        ServiceEntity.Configure(modelBuilder.Entity<ServiceEntity>());
        AvailabilityZoneEntity.Configure(modelBuilder.Entity<AvailabilityZoneEntity>());
        UserMessageEntity.Configure(modelBuilder.Entity<UserMessageEntity>());
        QuotaEntity.Configure(modelBuilder.Entity<QuotaEntity>());
        QuotaClassEntity.Configure(modelBuilder.Entity<QuotaClassEntity>());
        QuotaLockEntity.Configure(modelBuilder.Entity<QuotaLockEntity>());
        QuotaReservationEntity.Configure(modelBuilder.Entity<QuotaReservationEntity>());
        TransferEntity.Configure(modelBuilder.Entity<TransferEntity>());
        VolumeAttachmentEntity.Configure(modelBuilder.Entity<VolumeAttachmentEntity>());
        TypeExtrasModel.Configure(modelBuilder);
        GroupPersistence.Configure(modelBuilder);
    }
}
