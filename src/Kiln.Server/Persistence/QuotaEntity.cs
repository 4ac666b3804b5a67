using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>quotas</c>: a project's own limit for one resource, as Cinder keeps it.</summary>
internal sealed class QuotaEntity
{
    public required string ProjectId { get; set; }

    public required string Resource { get; set; }

    public int HardLimit { get; set; }

    public static void Configure(EntityTypeBuilder<QuotaEntity> quota)
    {
        quota.ToTable("quotas");
        quota.HasKey(q => new { q.ProjectId, q.Resource }).HasName("pk_quotas");
        quota.Property(q => q.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        quota.Property(q => q.Resource).HasColumnName("resource").HasMaxLength(300);
        quota.Property(q => q.HardLimit).HasColumnName("hard_limit");
    }
}
