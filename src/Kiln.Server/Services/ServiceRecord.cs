namespace Kiln.Server.Services;

/// <summary>One Cinder service (a binary on a host): what os-services lists.</summary>
internal sealed class ServiceRecord
{
    public const string SchedulerBinary = "cinder-scheduler";
    public const string VolumeBinary = "cinder-volume";

    public required string Binary { get; init; }

    /// <summary><c>host</c> for the scheduler, <c>host@backend</c> for a volume backend.</summary>
    public required string Host { get; init; }

    public required string Zone { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last heartbeat; null until the first one.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    public bool Disabled { get; set; }

    public string? DisabledReason { get; set; }
}
