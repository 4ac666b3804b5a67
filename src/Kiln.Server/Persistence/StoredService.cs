namespace Kiln.Server.Persistence;

/// <summary>A Cinder service (a binary on a host) as stored, with the backend lifecycle of <c>cinder-volume</c> rows.</summary>
public sealed record StoredService
{
    public const string SchedulerBinary = "cinder-scheduler";
    public const string VolumeBinary = "cinder-volume";

    public required string Binary { get; init; }

    /// <summary><c>host</c> for the scheduler, <c>host@backend</c> for a volume backend.</summary>
    public required string Host { get; init; }

    public required string Zone { get; init; }

    public bool Disabled { get; init; }

    public string? DisabledReason { get; init; }

    /// <summary>Cinder's <c>frozen</c> (<c>os-services/freeze</c>): the backend is disabled with reason <c>frozen</c> until thawed.</summary>
    public bool Frozen { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last heartbeat; null until the first one.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Wire name of the backend state (<c>gave_up</c>); null for services that are not backends.</summary>
    public string? DriverState { get; init; }

    /// <summary>The last driver error as the API shows it (<c>Class: message</c>), or null.</summary>
    public string? DriverError { get; init; }

    public int? ReinitAttempts { get; init; }

    /// <summary><c>reinit_driver_count</c>; 0 means unlimited.</summary>
    public int? ReinitBudget { get; init; }

    public DateTimeOffset? ReinitNextAt { get; init; }

    public DateTimeOffset? DriverStateSince { get; init; }

    /// <summary>The backend's last stats as JSON with Cinder's snake_case names; null when none were published.</summary>
    public string? StatsJson { get; init; }

    public DateTimeOffset? StatsUpdatedAt { get; init; }
}
