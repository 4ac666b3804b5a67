using Kiln.Server.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>groups</c> (Cinder's generic volume groups); the status is the concurrency token.</summary>
internal sealed class GroupEntity
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public string? UserId { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public required string Status { get; set; }

    public required string AvailabilityZone { get; set; }

    public required string GroupTypeId { get; set; }

    public string? Host { get; set; }

    public string? GroupSnapshotId { get; set; }

    public string? SourceGroupId { get; set; }

    public string? ErrorReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public List<GroupVolumeTypeMappingEntity> VolumeTypes { get; } = [];

    public static void Configure(EntityTypeBuilder<GroupEntity> group)
    {
        group.ToTable("groups");
        group.HasKey(g => g.Id).HasName("pk_groups");
        group.Property(g => g.Id).HasColumnName("id").HasMaxLength(36);
        group.Property(g => g.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        group.Property(g => g.UserId).HasColumnName("user_id").HasMaxLength(255);
        group.Property(g => g.Name).HasColumnName("name").HasMaxLength(255);
        group.Property(g => g.Description).HasColumnName("description").HasMaxLength(255);
        group.Property(g => g.Status).HasColumnName("status").HasMaxLength(32).IsConcurrencyToken();
        group.Property(g => g.AvailabilityZone).HasColumnName("availability_zone").HasMaxLength(255);
        group.Property(g => g.GroupTypeId).HasColumnName("group_type_id").HasMaxLength(36);
        group.Property(g => g.Host).HasColumnName("host").HasMaxLength(255);
        group.Property(g => g.GroupSnapshotId).HasColumnName("group_snapshot_id").HasMaxLength(36);
        group.Property(g => g.SourceGroupId).HasColumnName("source_group_id").HasMaxLength(36);
        group.Property(g => g.ErrorReason).HasColumnName("error_reason");
        group.Property(g => g.CreatedAt).HasColumnName("created_at");
        group.Property(g => g.UpdatedAt).HasColumnName("updated_at");
        group.HasIndex(g => new { g.ProjectId, g.CreatedAt }).HasDatabaseName("ix_groups_project_id_created_at");
        group.HasIndex(g => g.GroupTypeId).HasDatabaseName("ix_groups_group_type_id");
        group.HasIndex(g => g.Host).HasDatabaseName("ix_groups_host");
    }

    public static GroupEntity From(Group group)
    {
        var entity = new GroupEntity { Id = group.Id, ProjectId = group.ProjectId, Status = string.Empty, AvailabilityZone = string.Empty, GroupTypeId = group.GroupTypeId };
        entity.Apply(group);
        entity.VolumeTypes.AddRange(group.VolumeTypeIds.Select((typeId, i) => new GroupVolumeTypeMappingEntity { GroupId = group.Id, VolumeTypeId = typeId, Position = i }));
        return entity;
    }

    /// <summary>Copies every field but the id and the volume types, which never change.</summary>
    public void Apply(Group group)
    {
        ProjectId = group.ProjectId;
        UserId = group.UserId;
        Name = group.Name;
        Description = group.Description;
        Status = group.Status.ToWireName();
        AvailabilityZone = group.AvailabilityZone;
        GroupTypeId = group.GroupTypeId;
        Host = group.Host;
        GroupSnapshotId = group.GroupSnapshotId;
        SourceGroupId = group.SourceGroupId;
        ErrorReason = group.ErrorReason;
        CreatedAt = group.CreatedAt;
        UpdatedAt = group.UpdatedAt;
    }

    public Group ToGroup() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        UserId = UserId,
        Name = Name,
        Description = Description,
        Status = GroupStatusNames.TryParse(Status, out var status)
            ? status
            : throw new InvalidOperationException($"Group {Id} has status '{Status}' in the database, which Kiln does not know."),
        AvailabilityZone = AvailabilityZone,
        GroupTypeId = GroupTypeId,
        VolumeTypeIds = VolumeTypes.OrderBy(m => m.Position).Select(m => m.VolumeTypeId).ToList(),
        Host = Host,
        GroupSnapshotId = GroupSnapshotId,
        SourceGroupId = SourceGroupId,
        ErrorReason = ErrorReason,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
