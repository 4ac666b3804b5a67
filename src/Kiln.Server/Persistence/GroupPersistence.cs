using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>The group tables' model, registered from <see cref="KilnDbContext"/> with one line.</summary>
internal static class GroupPersistence
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        GroupTypeEntity.Configure(modelBuilder.Entity<GroupTypeEntity>());
        GroupTypeSpecEntity.Configure(modelBuilder.Entity<GroupTypeSpecEntity>());
        GroupEntity.Configure(modelBuilder.Entity<GroupEntity>());
        GroupVolumeTypeMappingEntity.Configure(modelBuilder.Entity<GroupVolumeTypeMappingEntity>());
        GroupSnapshotEntity.Configure(modelBuilder.Entity<GroupSnapshotEntity>());
    }
}
