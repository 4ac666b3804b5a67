using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kiln.Server.Persistence;

/// <summary>
/// A row of <c>services</c>: Cinder's service columns plus, for <c>cinder-volume</c> rows, the
/// backend's lifecycle and its last stats.
/// </summary>
internal sealed class ServiceEntity
{
    public int Id { get; set; }

    public required string Binary { get; set; }

    public required string Host { get; set; }

    public required string Zone { get; set; }

    public bool Disabled { get; set; }

    public string? DisabledReason { get; set; }

    /// <summary>Cinder's <c>frozen</c>: set by <c>os-services/freeze</c>, cleared by thaw.</summary>
    public bool Frozen { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last heartbeat, as in Cinder; nothing else moves it.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    public string? DriverState { get; set; }

    public string? DriverError { get; set; }

    public int? ReinitAttempts { get; set; }

    public int? ReinitBudget { get; set; }

    public DateTimeOffset? ReinitNextAt { get; set; }

    public DateTimeOffset? DriverStateSince { get; set; }

    public string? Stats { get; set; }

    public DateTimeOffset? StatsUpdatedAt { get; set; }

    public static void Configure(EntityTypeBuilder<ServiceEntity> service)
    {
        service.ToTable("services");
        service.HasKey(s => s.Id).HasName("pk_services");
        service.Property(s => s.Id).HasColumnName("id");
        service.Property(s => s.Binary).HasColumnName("binary").HasMaxLength(255);
        service.Property(s => s.Host).HasColumnName("host").HasMaxLength(255);
        service.Property(s => s.Zone).HasColumnName("availability_zone").HasMaxLength(255);
        service.Property(s => s.Disabled).HasColumnName("disabled");
        service.Property(s => s.DisabledReason).HasColumnName("disabled_reason").HasMaxLength(255);
        service.Property(s => s.Frozen).HasColumnName("frozen");
        service.Property(s => s.CreatedAt).HasColumnName("created_at");
        service.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        service.Property(s => s.DriverState).HasColumnName("driver_state").HasMaxLength(32);
        service.Property(s => s.DriverError).HasColumnName("driver_error");
        service.Property(s => s.ReinitAttempts).HasColumnName("reinit_attempts");
        service.Property(s => s.ReinitBudget).HasColumnName("reinit_budget");
        service.Property(s => s.ReinitNextAt).HasColumnName("reinit_next_at");
        service.Property(s => s.DriverStateSince).HasColumnName("driver_state_since");
        service.Property(s => s.Stats).HasColumnName("stats");
        service.Property(s => s.StatsUpdatedAt).HasColumnName("stats_updated_at");
        service.HasIndex(s => new { s.Host, s.Binary }).IsUnique().HasDatabaseName("ux_services_host_binary");
    }

    public StoredService ToStoredService() => new()
    {
        Binary = Binary,
        Host = Host,
        Zone = Zone,
        Disabled = Disabled,
        DisabledReason = DisabledReason,
        Frozen = Frozen,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        DriverState = DriverState,
        DriverError = DriverError,
        ReinitAttempts = ReinitAttempts,
        ReinitBudget = ReinitBudget,
        ReinitNextAt = ReinitNextAt,
        DriverStateSince = DriverStateSince,
        StatsJson = Stats,
        StatsUpdatedAt = StatsUpdatedAt,
    };
}
