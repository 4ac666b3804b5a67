using Kiln.Server.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>A row of <c>group_snapshots</c>; its snapshots point at it with <c>snapshots.group_snapshot_id</c>.</summary>
internal sealed class GroupSnapshotEntity
{
    public required string Id { get; set; }

    public required string ProjectId { get; set; }

    public string? UserId { get; set; }

    public required string GroupId { get; set; }

    public required string GroupTypeId { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public required string Status { get; set; }

    public string? ErrorReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<GroupSnapshotEntity> snapshot)
    {
        snapshot.ToTable("group_snapshots");
        snapshot.HasKey(s => s.Id).HasName("pk_group_snapshots");
        snapshot.Property(s => s.Id).HasColumnName("id").HasMaxLength(36);
        snapshot.Property(s => s.ProjectId).HasColumnName("project_id").HasMaxLength(255);
        snapshot.Property(s => s.UserId).HasColumnName("user_id").HasMaxLength(255);
        snapshot.Property(s => s.GroupId).HasColumnName("group_id").HasMaxLength(36);
        snapshot.Property(s => s.GroupTypeId).HasColumnName("group_type_id").HasMaxLength(36);
        snapshot.Property(s => s.Name).HasColumnName("name").HasMaxLength(255);
        snapshot.Property(s => s.Description).HasColumnName("description").HasMaxLength(255);
        snapshot.Property(s => s.Status).HasColumnName("status").HasMaxLength(32).IsConcurrencyToken();
        snapshot.Property(s => s.ErrorReason).HasColumnName("error_reason");
        snapshot.Property(s => s.CreatedAt).HasColumnName("created_at");
        snapshot.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        snapshot.HasIndex(s => s.GroupId).HasDatabaseName("ix_group_snapshots_group_id");
        snapshot.HasIndex(s => new { s.ProjectId, s.CreatedAt }).HasDatabaseName("ix_group_snapshots_project_id_created_at");
    }

    public static GroupSnapshotEntity From(GroupSnapshot snapshot)
    {
        var entity = new GroupSnapshotEntity { Id = snapshot.Id, ProjectId = snapshot.ProjectId, GroupId = snapshot.GroupId, GroupTypeId = snapshot.GroupTypeId, Status = string.Empty };
        entity.Apply(snapshot);
        return entity;
    }

    /// <summary>Copies every field but the id.</summary>
    public void Apply(GroupSnapshot snapshot)
    {
        ProjectId = snapshot.ProjectId;
        UserId = snapshot.UserId;
        GroupId = snapshot.GroupId;
        GroupTypeId = snapshot.GroupTypeId;
        Name = snapshot.Name;
        Description = snapshot.Description;
        Status = snapshot.Status.ToWireName();
        ErrorReason = snapshot.ErrorReason;
        CreatedAt = snapshot.CreatedAt;
        UpdatedAt = snapshot.UpdatedAt;
    }

    public GroupSnapshot ToGroupSnapshot() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        UserId = UserId,
        GroupId = GroupId,
        GroupTypeId = GroupTypeId,
        Name = Name,
        Description = Description,
        Status = GroupStatusNames.TryParse(Status, out var status)
            ? status
            : throw new InvalidOperationException($"Group snapshot {Id} has status '{Status}' in the database, which Kiln does not know."),
        ErrorReason = ErrorReason,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
