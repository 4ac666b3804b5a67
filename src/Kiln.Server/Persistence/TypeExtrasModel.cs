using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>The tables of QoS specs, type access, type encryption and default types, registered with one line in <see cref="KilnDbContext"/>.</summary>
internal static class TypeExtrasModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        QosSpecsEntity.Configure(modelBuilder.Entity<QosSpecsEntity>());
        VolumeTypeProjectEntity.Configure(modelBuilder.Entity<VolumeTypeProjectEntity>());
        EncryptionEntity.Configure(modelBuilder.Entity<EncryptionEntity>());
        DefaultVolumeTypeEntity.Configure(modelBuilder.Entity<DefaultVolumeTypeEntity>());
    }
}
