using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>quota_classes</c>: a class's limit for one resource; the <c>default</c> class overrides kiln.conf.</summary>
internal sealed class QuotaClassEntity
{
    public required string ClassName { get; set; }

    public required string Resource { get; set; }

    public int HardLimit { get; set; }

    public static void Configure(EntityTypeBuilder<QuotaClassEntity> quota)
    {
        quota.ToTable("quota_classes");
        quota.HasKey(q => new { q.ClassName, q.Resource }).HasName("pk_quota_classes");
        quota.Property(q => q.ClassName).HasColumnName("class_name").HasMaxLength(255);
        quota.Property(q => q.Resource).HasColumnName("resource").HasMaxLength(300);
        quota.Property(q => q.HardLimit).HasColumnName("hard_limit");
    }
}
