using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>quota_locks</c>, one per project: every write that consumes quota bumps it first, so
/// such writes of one project run one at a time (PostgreSQL holds the row lock to the commit; SQLite
/// has one writer) and each counts the usage the previous one committed.
/// </summary>
internal sealed class QuotaLockEntity
{
    public required string ProjectId { get; set; }

    public long Version { get; set; }

    public static void Configure(EntityTypeBuilder<QuotaLockEntity> quotaLock)
    {
        quotaLock.ToTable("quota_locks");
        quotaLock.HasKey(q => q.ProjectId).HasName("pk_quota_locks");
        quotaLock.Property(q => q.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        quotaLock.Property(q => q.Version).HasColumnName("version");
    }
}
