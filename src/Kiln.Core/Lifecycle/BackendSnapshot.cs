using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// An immutable picture of one backend's lifecycle, as the API and the service record show it.
/// </summary>
public sealed record BackendSnapshot
{
    /// <summary>Cinder host name of the backend: <c>host@backend</c>.</summary>
    public required string Host { get; init; }

    /// <summary>The backend (section) name.</summary>
    public required string BackendName { get; init; }

    public required BackendState State { get; init; }

    /// <summary>When the backend entered <see cref="State"/>.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Short class name of the last error (for example <c>DriverConfigurationException</c>); null when none.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>Message of the last error; null when none.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Re-initializations used in the current cycle (the first init is not one).</summary>
    public int ReinitAttempts { get; init; }

    /// <summary><c>reinit_driver_count</c>: re-initializations allowed per cycle; 0 means unlimited.</summary>
    public int ReinitBudget { get; init; }

    /// <summary>When the next automatic attempt is due; null when none is scheduled.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The last stats the driver published; kept (stale) while degraded.</summary>
    public BackendStats? Stats { get; init; }

    /// <summary>When <see cref="Stats"/> were published.</summary>
    public DateTimeOffset? StatsUpdatedAt { get; init; }

    /// <summary>Consecutive failed stats calls since the last success.</summary>
    public int ConsecutiveStatsFailures { get; init; }

    /// <summary>The error line as the API shows it: <c>Class: message</c>.</summary>
    public string? ErrorText => ErrorClass is null ? null : $"{ErrorClass}: {ErrorMessage}";
}
