using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Core.Tests.Lifecycle;

public sealed class LifecycleOptionsTests
{
    private static BackendSection Section(params (string Key, string Value)[] values) =>
        new("fast", values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Parse_NothingSet_UsesDesignDefaults()
    {
        var options = LifecycleOptions.Parse(Section());

        options.ReinitDriverCount.ShouldBe(3);
        options.StatsPollingInterval.ShouldBe(TimeSpan.FromSeconds(60));
        options.ReinitBackoffInitial.ShouldBe(TimeSpan.FromSeconds(10));
        options.ReinitBackoffMax.ShouldBe(TimeSpan.FromSeconds(60));
        options.ReinitProbeInterval.ShouldBe(TimeSpan.FromSeconds(2));
        options.DriverInitTimeout.ShouldBe(TimeSpan.FromSeconds(300));
        options.StatsFailureThreshold.ShouldBe(3);
        options.ShouldBe(new LifecycleOptions());
    }

    [Fact]
    public void Parse_BackoffMaxUnset_FollowsPollingInterval()
    {
        var options = LifecycleOptions.Parse(Section(("backend_stats_polling_interval", "30")));

        options.ReinitBackoffMax.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Parse_PollingShorterThanInitialBackoff_CapIsTheInitialBackoff()
    {
        var options = LifecycleOptions.Parse(Section(("backend_stats_polling_interval", "0.5")));

        options.ReinitBackoffMax.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Parse_AllSet_ReadsEach()
    {
        var options = LifecycleOptions.Parse(Section(
            ("reinit_driver_count", "0"),
            ("backend_stats_polling_interval", "15"),
            ("reinit_backoff_initial", "0.5"),
            ("reinit_backoff_max", "5"),
            ("reinit_probe_interval", "0"),
            ("driver_init_timeout", "12.5"),
            ("stats_failure_threshold", "1")));

        options.IsUnlimited.ShouldBeTrue();
        options.StatsPollingInterval.ShouldBe(TimeSpan.FromSeconds(15));
        options.ReinitBackoffInitial.ShouldBe(TimeSpan.FromMilliseconds(500));
        options.ReinitBackoffMax.ShouldBe(TimeSpan.FromSeconds(5));
        options.ReinitProbeInterval.ShouldBe(TimeSpan.Zero);
        options.DriverInitTimeout.ShouldBe(TimeSpan.FromSeconds(12.5));
        options.StatsFailureThreshold.ShouldBe(1);
    }

    [Theory]
    [InlineData("reinit_driver_count", "-1", "expected an integer >= 0")]
    [InlineData("reinit_driver_count", "three", "expected an integer")]
    [InlineData("reinit_driver_count", "99999999999", "expected an integer")]
    [InlineData("backend_stats_polling_interval", "0", "expected seconds between")]
    [InlineData("reinit_backoff_initial", "NaN", "expected a number of seconds")]
    [InlineData("reinit_backoff_max", "1", "must not be smaller than reinit_backoff_initial")]
    [InlineData("reinit_probe_interval", "-2", "expected seconds between")]
    [InlineData("driver_init_timeout", "forever", "expected a number of seconds")]
    [InlineData("stats_failure_threshold", "0", "expected an integer >= 1")]
    [InlineData("driver_stats_timeout", "0", "expected seconds between")]
    [InlineData("driver_stats_timeout", "soon", "expected a number of seconds")]
    [InlineData("driver_operation_timeout", "-1", "expected seconds between")]
    [InlineData("driver_operation_timeout", "86401", "expected seconds between")]
    public void Parse_BadValue_ThrowsConfigurationErrorNamingTheOption(string option, string value, string expected)
    {
        var error = Should.Throw<DriverConfigurationException>(() => LifecycleOptions.Parse(Section((option, value))));

        error.Message.ShouldContain($"[fast] {option} = '{value}'");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_StatsTimeoutUnset_FollowsThePollingIntervalNotTheInitTimeout()
    {
        var options = LifecycleOptions.Parse(Section(("backend_stats_polling_interval", "20"), ("driver_init_timeout", "600")));

        options.DriverStatsTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        options.DriverOperationTimeout.ShouldBe(TimeSpan.FromSeconds(300));
    }

    [Fact]
    public void Parse_StatsAndOperationTimeoutsSet_ReadsEach()
    {
        var options = LifecycleOptions.Parse(Section(("driver_stats_timeout", "7.5"), ("driver_operation_timeout", "900")));

        options.DriverStatsTimeout.ShouldBe(TimeSpan.FromSeconds(7.5));
        options.DriverOperationTimeout.ShouldBe(TimeSpan.FromSeconds(900));
        options.DriverInitTimeout.ShouldBe(TimeSpan.FromSeconds(300));
        options.LongestCall.ShouldBe(TimeSpan.FromSeconds(900));
    }
}
