namespace Kiln.Core.Lifecycle;

/// <summary>The states of a backend's lifecycle, exposed verbatim (snake_case) as <c>driver_state</c>.</summary>
public enum BackendState
{
    /// <summary>First init or a re-init attempt in progress.</summary>
    Initializing,

    /// <summary>Initialized and stats published; schedulable.</summary>
    Ready,

    /// <summary>Initialized, but the last stats call(s) failed; stale capabilities kept; schedulable.</summary>
    Degraded,

    /// <summary>The last init failed with a recoverable error; the next attempt is scheduled.</summary>
    Failed,

    /// <summary>Recoverable failures exhausted <c>reinit_driver_count</c>; waits for a manual re-init.</summary>
    GaveUp,

    /// <summary>Configuration, not-supported or dependency error; never retried automatically.</summary>
    Unrecoverable,

    /// <summary>The service is shutting down.</summary>
    Stopped,
}

/// <summary>Wire names and properties of <see cref="BackendState"/>.</summary>
public static class BackendStateExtensions
{
    /// <summary>The name used in the API, logs and metrics: initializing, ready, degraded, failed, gave_up, unrecoverable, stopped.</summary>
    public static string ToWireName(this BackendState state) => state switch
    {
        BackendState.Initializing => "initializing",
        BackendState.Ready => "ready",
        BackendState.Degraded => "degraded",
        BackendState.Failed => "failed",
        BackendState.GaveUp => "gave_up",
        BackendState.Unrecoverable => "unrecoverable",
        BackendState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Whether the scheduler may place new volumes on a backend in this state.</summary>
    public static bool IsSchedulable(this BackendState state) => state is BackendState.Ready or BackendState.Degraded;

    /// <summary>Whether the backend's service record keeps heart-beating in this state.</summary>
    public static bool Heartbeats(this BackendState state) => state is not BackendState.Stopped;
}
