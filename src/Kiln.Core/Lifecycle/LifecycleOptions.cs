using Kiln.Core.Drivers;

namespace Kiln.Core.Lifecycle;

/// <summary>
/// How a backend host schedules re-initialization. Each option may be set in [DEFAULT] and overridden
/// in a backend's section; <see cref="Parse"/> reads the merged section.
/// </summary>
public sealed record LifecycleOptions
{
    public const string ReinitDriverCountOption = "reinit_driver_count";
    public const string StatsPollingIntervalOption = "backend_stats_polling_interval";
    public const string ReinitBackoffInitialOption = "reinit_backoff_initial";
    public const string ReinitBackoffMaxOption = "reinit_backoff_max";
    public const string ReinitProbeIntervalOption = "reinit_probe_interval";
    public const string DriverInitTimeoutOption = "driver_init_timeout";
    public const string StatsFailureThresholdOption = "stats_failure_threshold";
    public const string DriverStatsTimeoutOption = "driver_stats_timeout";
    public const string DriverOperationTimeoutOption = "driver_operation_timeout";

    /// <summary>Every lifecycle option name, for validation of kiln.conf.</summary>
    public static IReadOnlyList<string> OptionNames { get; } =
    [
        ReinitDriverCountOption, StatsPollingIntervalOption, ReinitBackoffInitialOption, ReinitBackoffMaxOption,
        ReinitProbeIntervalOption, DriverInitTimeoutOption, StatsFailureThresholdOption, DriverStatsTimeoutOption,
        DriverOperationTimeoutOption,
    ];

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <summary>Re-initializations allowed after the first failed init; 0 means unlimited. Default 3.</summary>
    public int ReinitDriverCount { get; init; } = 3;

    /// <summary>How often a ready backend publishes stats. Default 60 s.</summary>
    public TimeSpan StatsPollingInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay before the first re-initialization; doubles each attempt. Default 10 s.</summary>
    public TimeSpan ReinitBackoffInitial { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap of the backoff. Default: the stats polling interval, or the initial delay when that is longer.</summary>
    public TimeSpan ReinitBackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a failed backend's readiness probe runs; zero disables probing. Default 2 s.</summary>
    public TimeSpan ReinitProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Limit of an initialization attempt (setup, check, cleanup together). Default 300 s.</summary>
    public TimeSpan DriverInitTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Limit of one stats call. Default: the stats polling interval, so a hung stats call ends before the
    /// next one is due and <see cref="StatsFailureThreshold"/> hung calls take that many intervals, not
    /// that many <see cref="DriverInitTimeout"/>s.
    /// </summary>
    public TimeSpan DriverStatsTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Limit of one volume operation (create, clone, delete, extend, snapshot, connection). Default 300 s:
    /// a clone or a qcow2 copy of a large volume legitimately takes minutes, so it is not tied to the
    /// polling interval.
    /// </summary>
    public TimeSpan DriverOperationTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Consecutive failed stats calls that turn a ready backend failed. Default 3.</summary>
    public int StatsFailureThreshold { get; init; } = 3;

    /// <summary>Whether <see cref="ReinitDriverCount"/> allows unlimited re-initializations.</summary>
    public bool IsUnlimited => ReinitDriverCount == 0;

    /// <summary>The longest a bounded driver call may run before it is abandoned: how long a replaced driver waits for its calls before disposal.</summary>
    public TimeSpan LongestCall => Max(Max(DriverInitTimeout, DriverStatsTimeout), DriverOperationTimeout);

    /// <summary>The longest an initialization attempt lasts, its first stats call included: how long a queued operation waits for a driver that is initializing.</summary>
    public TimeSpan LongestAttempt => DriverInitTimeout + DriverStatsTimeout;

    /// <summary>
    /// Reads the lifecycle options of a merged backend section, throwing
    /// <see cref="Errors.DriverConfigurationException"/> that names the option for any bad value.
    /// </summary>
    public static LifecycleOptions Parse(BackendSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var polling = section.GetSeconds(StatsPollingIntervalOption, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10), OneDay);
        var initial = section.GetSeconds(ReinitBackoffInitialOption, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), OneDay);
        // Unset, the cap follows the polling interval, but never below the initial delay: a short
        // polling interval alone must not turn into a configuration error.
        var max = section.GetSeconds(ReinitBackoffMaxOption, polling > initial ? polling : initial, TimeSpan.FromMilliseconds(1), OneDay);
        if (max < initial)
        {
            throw Errors.DriverConfigurationException.InvalidOption(
                section.Name, ReinitBackoffMaxOption, section.GetString(ReinitBackoffMaxOption) ?? max.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must not be smaller than {ReinitBackoffInitialOption} ({initial.TotalSeconds} s)");
        }

        return new LifecycleOptions
        {
            ReinitDriverCount = section.GetInt32(ReinitDriverCountOption, 3, min: 0),
            StatsPollingInterval = polling,
            ReinitBackoffInitial = initial,
            ReinitBackoffMax = max,
            ReinitProbeInterval = section.GetSeconds(ReinitProbeIntervalOption, TimeSpan.FromSeconds(2), TimeSpan.Zero, OneDay),
            DriverInitTimeout = section.GetSeconds(DriverInitTimeoutOption, TimeSpan.FromSeconds(300), TimeSpan.FromMilliseconds(1), OneDay),
            StatsFailureThreshold = section.GetInt32(StatsFailureThresholdOption, 3, min: 1),
            DriverStatsTimeout = section.GetSeconds(DriverStatsTimeoutOption, polling, TimeSpan.FromMilliseconds(1), OneDay),
            DriverOperationTimeout = section.GetSeconds(DriverOperationTimeoutOption, TimeSpan.FromSeconds(300), TimeSpan.FromMilliseconds(1), OneDay),
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
