using Kiln.Core.Lifecycle;

namespace Kiln.Server.Dashboard;

/// <summary>One backend as the dashboard shows it: its lifecycle (live for this node's backends, stored for others') and what it last reported.</summary>
internal sealed record BackendRow
{
    public required string Host { get; init; }

    /// <summary>Wire name of the driver state (<c>ready</c>, <c>failed</c>, …); <c>unknown</c> when the record has none.</summary>
    public required string State { get; init; }

    public DateTimeOffset? Since { get; init; }

    public string? Error { get; init; }

    public int? Attempts { get; init; }

    public int? Budget { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public ProbeObservation? Probe { get; init; }

    /// <summary>When the backend last published stats.</summary>
    public DateTimeOffset? StatsUpdatedAt { get; init; }

    /// <summary>Heart-beating within <c>service_down_time</c>.</summary>
    public bool Up { get; init; }

    public bool Disabled { get; init; }

    /// <summary>Served by this node: only these can be re-initialized from here, and only these have a timeline.</summary>
    public bool Local { get; init; }

    public IReadOnlyList<StateChange> History { get; init; } = [];

    /// <summary>Order of the table: the states that need an operator first.</summary>
    public int Severity => State switch
    {
        "unrecoverable" => 0,
        "gave_up" => 1,
        "failed" => 2,
        "degraded" => 3,
        "initializing" => 4,
        "stopped" => 5,
        "ready" => 7,
        _ => 6,
    };
}
