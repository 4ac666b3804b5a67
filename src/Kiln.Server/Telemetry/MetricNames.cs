namespace Kiln.Server.Telemetry;

/// <summary>
/// Kiln's meter and instrument names. The Prometheus exporter turns the OpenTelemetry name and unit into
/// the exposed name (dots to underscores, the unit's suffix, <c>_total</c> for counters), shown beside each;
/// docs/ops/monitoring.md documents the exposed names, so change both together.
/// </summary>
internal static class MetricNames
{
    /// <summary>The meter every Kiln instrument belongs to.</summary>
    public const string Meter = "Kiln";

    /// <summary><c>kiln_backend_state{backend,state}</c>: 1 for the backend's current state, 0 for the others.</summary>
    public const string BackendState = "kiln.backend.state";

    /// <summary><c>kiln_backend_init_attempts_total{backend,outcome}</c>.</summary>
    public const string InitAttempts = "kiln.backend.init.attempts";

    /// <summary><c>kiln_backend_recovery_duration_seconds{backend}</c> (histogram): from failed to ready.</summary>
    public const string RecoveryDuration = "kiln.backend.recovery.duration";

    /// <summary><c>kiln_backend_stats_age_seconds{backend}</c>: time since the last successful stats publish.</summary>
    public const string StatsAge = "kiln.backend.stats.age";

    /// <summary><c>kiln_backend_stats_polling_interval_seconds{backend}</c>: <c>backend_stats_polling_interval</c>.</summary>
    public const string StatsPollingInterval = "kiln.backend.stats.polling_interval";

    /// <summary><c>kiln_backend_reinit_budget_remaining{backend}</c>: re-initializations left; -1 when unlimited.</summary>
    public const string ReinitBudgetRemaining = "kiln.backend.reinit.budget.remaining";

    /// <summary><c>kiln_pool_capacity_bytes{backend,pool,kind}</c>: total, free, allocated, provisioned.</summary>
    public const string PoolCapacity = "kiln.pool.capacity";

    /// <summary><c>kiln_volumes{backend,pool,status}</c>: volumes per pool and status.</summary>
    public const string Volumes = "kiln.volumes";

    /// <summary><c>kiln_orphan_volume_files{backend}</c>: volumes on the storage with no record, found at the backend's last initialization.</summary>
    public const string OrphanVolumeFiles = "kiln.orphan_volume_files";

    /// <summary><c>kiln_messages_dead_lettered_total{queue}</c>: messages whose handler failed on every allowed delivery.</summary>
    public const string MessagesDeadLettered = "kiln.messages.dead_lettered";

    /// <summary><c>kiln_messages_redelivered_total{queue}</c>: messages delivered again after their handler failed.</summary>
    public const string MessagesRedelivered = "kiln.messages.redelivered";

    /// <summary><c>kiln_messages_wait_seconds{queue,message}</c> (histogram): from the send to its handler's start, across processes.</summary>
    public const string MessagesWait = "kiln.messages.wait";

    /// <summary><c>kiln_messages_handling_seconds{queue,message}</c> (histogram): how long the handler ran.</summary>
    public const string MessagesHandling = "kiln.messages.handling";

    /// <summary><c>kiln_messages_send_seconds{queue}</c> (histogram): a RabbitMQ send until the broker confirmed it.</summary>
    public const string MessagesSend = "kiln.messages.send";

    /// <summary><c>kiln_driver_host_memory_bytes{backend,pid}</c>: resident memory of each upstream Cinder driver's host process.</summary>
    public const string DriverHostMemory = "kiln.driver_host.memory";

    /// <summary><c>kiln_driver_host_cpu_seconds_total{backend,pid}</c>: CPU time used by each upstream Cinder driver's host process.</summary>
    public const string DriverHostCpu = "kiln.driver_host.cpu";

    public const string PidLabel = "pid";

    public const string BackendLabel = "backend";
    public const string StateLabel = "state";
    public const string OutcomeLabel = "outcome";
    public const string PoolLabel = "pool";
    public const string KindLabel = "kind";
    public const string StatusLabel = "status";
    public const string QueueLabel = "queue";
    public const string MessageLabel = "message";
}
