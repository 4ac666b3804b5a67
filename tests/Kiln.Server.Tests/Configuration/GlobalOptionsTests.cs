using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class GlobalOptionsTests
{
    private const string Port = "expected an integer between 0 and 65535 (0 means any free port)";
    private const string Address = "expected an IP address such as 127.0.0.1, 0.0.0.0 or ::";
    private const string Seconds = "expected a number of seconds greater than 0 (between 0.001 and 86400)";
    private const string HostName = "expected a non-empty name without spaces, '@', '#' or '/'";

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "host", "", HostName },
        { "host", "node 1", HostName },
        { "host", "node@fast", HostName },
        { "host", "node#pool", HostName },
        { "host", "node/1", HostName },
        { "state_path", "", "expected a directory path" },
        { "state_path", "a\0b", "expected a directory path" },
        { "osapi_volume_listen", "localhost", Address },
        { "osapi_volume_listen", "8776", Address },
        { "osapi_volume_listen", "127.1", Address },
        { "osapi_volume_listen", "010.0.0.1", Address },
        { "osapi_volume_listen", "256.0.0.1", Address },
        { "osapi_volume_listen", "1.2.3.4.5", Address },
        { "osapi_volume_listen", ":::1", Address },
        { "osapi_volume_listen", "", Address },
        { "osapi_volume_listen_port", "-1", Port },
        { "osapi_volume_listen_port", "65536", Port },
        { "osapi_volume_listen_port", "99999999999", Port },
        { "osapi_volume_listen_port", "80.5", Port },
        { "osapi_volume_listen_port", "http", Port },
        { "osapi_volume_listen_port", "", Port },
        { "report_interval", "0", Seconds },
        { "report_interval", "-5", Seconds },
        { "report_interval", "0.0001", Seconds },
        { "report_interval", "86401", Seconds },
        { "report_interval", "1e300", Seconds },
        { "report_interval", "NaN", Seconds },
        { "report_interval", "Infinity", Seconds },
        { "report_interval", "10s", Seconds },
        { "service_down_time", "0", Seconds },
        { "service_down_time", "soon", Seconds },
        { "storage_availability_zone", "", "expected a non-empty value" },
        { "auth_strategy", "noauth2", "expected noauth or keystone" },
        { "auth_strategy", "", "expected noauth or keystone" },
        { "allow_noauth_remote", "maybe", "expected true or false" },
        { "debug", "maybe", "expected true or false" },
        { "log_format", "xml", "expected text or json" },
        { "ready_requires_backend", "sometimes", "expected true or false" },
        { "ready_requires_backend", "", "expected true or false" },
        { "quota_volumes", "-2", "expected an integer of -1 (unlimited) or more" },
        { "quota_gigabytes", "lots", "expected an integer of -1 (unlimited) or more" },
        { "per_volume_size_limit", "2147483648", "expected an integer of -1 (unlimited) or more" },
        { "no_snapshot_gb_quota", "maybe", "expected true or false" },
        { "enabled_backends", "fast, slow, fast", "backend 'fast' is listed more than once" },
        { "enabled_backends", "fast,FAST", "backend 'FAST' is listed more than once" },
        { "enabled_backends", "fast ssd", "backend name 'fast ssd' may contain only letters, digits, '.', '_' and '-'" },
        { "enabled_backends", "fast@x", "backend name 'fast@x' may contain only letters, digits, '.', '_' and '-'" },
        { "enabled_backends", "fast, default", "'default' is a reserved section name and cannot be a backend" },
        { "enabled_backends", "database", "'database' is a reserved section name and cannot be a backend" },
        { "reinit_driver_count", "-1", "expected an integer >= 0" },
        { "reinit_driver_count", "three", "expected an integer" },
        { "stats_failure_threshold", "0", "expected an integer >= 1" },
        { "driver_init_timeout", "forever", "expected a number of seconds" },
        { "reinit_probe_interval", "-1", "expected seconds between 0 and 86400" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Load_BadGlobalValue_ThrowsOneLineNamingFileSectionOptionValueAndExpectation(string option, string value, string expected)
    {
        var (message, path) = TempConfigFile.LoadFails($"[DEFAULT]\n# line 2\n{option} = {value}\n");

        message.ShouldBe($"{path}:3: [DEFAULT] {option} = '{value}' is invalid: {expected}");
    }

    [Fact]
    public void Load_NegativeReinitDriverCountInLowercaseDefault_IsRefusedNamingTheOption()
    {
        var (message, path) = TempConfigFile.LoadFails("[default]\nreinit_driver_count = -1\n");

        message.ShouldBe($"{path}:2: [DEFAULT] reinit_driver_count = '-1' is invalid: expected an integer >= 0");
    }

    [Fact]
    public void Load_ExplicitBackoffMaxBelowInitial_NamesTheLine()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nreinit_backoff_max = 5\nreinit_backoff_initial = 10\n");

        message.ShouldBe($"{path}:2: [DEFAULT] reinit_backoff_max = '5' is invalid: must not be smaller than reinit_backoff_initial (10 s)");
    }

    [Fact]
    public void Load_MultiLineBadValue_StaysOnOneLine()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nenabled_backends = fast,\n  fast\n");

        message.ShouldBe($"{path}:2: [DEFAULT] enabled_backends = 'fast,\\nfast' is invalid: backend 'fast' is listed more than once");
    }

    public static TheoryData<string, string, Func<KilnConfiguration, object?>, object?> GoodValues => new()
    {
        { "host", "node-1.example", c => c.Host, "node-1.example" },
        { "osapi_volume_listen", "0.0.0.0", c => c.ListenAddress, "0.0.0.0" },
        { "osapi_volume_listen", "::", c => c.ListenAddress, "::" },
        { "osapi_volume_listen", "0:0::1", c => c.ListenAddress, "::1" },
        { "osapi_volume_listen", "192.168.10.200", c => c.ListenAddress, "192.168.10.200" },
        { "osapi_volume_listen_port", "0", c => c.ListenPort, 0 },
        { "osapi_volume_listen_port", "65535", c => c.ListenPort, 65535 },
        { "report_interval", "2.5", c => c.ReportInterval, TimeSpan.FromSeconds(2.5) },
        { "service_down_time", "600", c => c.ServiceDownTime, TimeSpan.FromSeconds(600) },
        { "storage_availability_zone", "az-1", c => c.StorageAvailabilityZone, "az-1" },
        { "transport_url", "rabbit://kiln:secret@mq:5672/", c => c.TransportUrl, "rabbit://kiln:secret@mq:5672/" },
        { "transport_url", "", c => c.TransportUrl, null },
        { "default_volume_type", "ssd", c => c.DefaultVolumeType, "ssd" },
        { "auth_strategy", "noauth", c => c.Warnings.Count, 0 },
        { "auth_strategy", "NoAuth", c => c.Identity.AuthStrategy, AuthStrategy.NoAuth },
        { "debug", "yes", c => c.Debug, true },
        { "debug", "False", c => c.Debug, false },
        { "log_format", "JSON", c => c.LogFormat, KilnLogFormat.Json },
        { "ready_requires_backend", "false", c => c.ReadyRequiresBackend, false },
        { "ready_requires_backend", "Off", c => c.ReadyRequiresBackend, false },
        { "ready_requires_backend", "yes", c => c.ReadyRequiresBackend, true },
        { "quota_volumes", "-1", c => c.Quotas.Volumes, -1 },
        { "quota_snapshots", "3", c => c.Quotas.Snapshots, 3 },
        { "quota_gigabytes", "0", c => c.Quotas.Gigabytes, 0 },
        { "quota_backups", "4", c => c.Quotas.Backups, 4 },
        { "quota_backup_gigabytes", "5", c => c.Quotas.BackupGigabytes, 5 },
        { "per_volume_size_limit", "2147483647", c => c.Quotas.PerVolumeGigabytes, int.MaxValue },
        { "quota_groups", "6", c => c.Quotas.Groups, 6 },
        { "no_snapshot_gb_quota", "true", c => c.Quotas.NoSnapshotGigabytes, true },
        { "enabled_backends", " fast , slow,,archive, ", c => string.Join('|', c.EnabledBackends), "fast|slow|archive" },
        { "enabled_backends", "", c => c.EnabledBackends.Count, 0 },
    };

    [Theory]
    [MemberData(nameof(GoodValues))]
    public void Load_GoodGlobalValue_IsExposed(string option, string value, Func<KilnConfiguration, object?> property, object? expected)
    {
        // The remote addresses need noauth's explicit consent (IdentityOptionsTests).
        var configuration = TempConfigFile.Load($"[DEFAULT]\nallow_noauth_remote = true\n{option} = {value}\n");

        property(configuration).ShouldBe(expected);
    }

    [Fact]
    public void Load_DatabaseConnection_IsReadFromDatabaseSection()
    {
        var configuration = TempConfigFile.Load("[database]\nconnection = postgresql://kiln@db/kiln\n");

        configuration.DatabaseConnection.ShouldBe("postgresql://kiln@db/kiln");
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("[database]\nsqlite_synchronous = false\n", false)]
    [InlineData("[database]\nsqlite_synchronous = True\n", true)]
    public void Load_SqliteSynchronous_DefaultsToTrue(string file, bool expected)
    {
        TempConfigFile.Load(file).SqliteSynchronous.ShouldBe(expected);
    }

    [Fact]
    public void Load_SqliteSynchronousNotABoolean_StopsStartUpNamingTheOption()
    {
        Should.Throw<KilnConfigurationException>(() => TempConfigFile.Load("[database]\nsqlite_synchronous = sometimes\n"))
            .Message.ShouldContain("sqlite_synchronous");
    }

    [Theory]
    [InlineData("relative/data", "relative/data")]
    [InlineData("./kiln-data", "kiln-data")]
    [InlineData("a/../b", "b")]
    public void Load_RelativeStatePath_IsResolvedAgainstTheCurrentDirectory(string value, string relativeToCurrent)
    {
        var configuration = TempConfigFile.Load($"[DEFAULT]\nstate_path = {value}\n");

        configuration.StatePath.ShouldBe(Path.Combine(Environment.CurrentDirectory, relativeToCurrent));
        Path.IsPathFullyQualified(configuration.StatePath).ShouldBeTrue();
    }

    [Fact]
    public void Load_AbsoluteStatePath_IsNormalized()
    {
        var root = Path.GetTempPath();

        var configuration = TempConfigFile.Load($"[DEFAULT]\nstate_path = {Path.Combine(root, "x", "..", "kiln")}\n");

        configuration.StatePath.ShouldBe(Path.Combine(root, "kiln"));
    }

    [Theory]
    [InlineData("10", "10.5")]
    [InlineData("0.5", "0.6")]
    [InlineData("9", null)]
    public void Load_ServiceDownTimeAboveReportInterval_IsAccepted(string reportInterval, string? serviceDownTime)
    {
        var text = $"[DEFAULT]\nreport_interval = {reportInterval}\n" + (serviceDownTime is null ? string.Empty : $"service_down_time = {serviceDownTime}\n");

        var configuration = TempConfigFile.Load(text);

        (configuration.ServiceDownTime > configuration.ReportInterval).ShouldBeTrue();
    }

    [Theory]
    [InlineData("[DEFAULT]\nreport_interval = 10\nservice_down_time = 10\n", 3, "service_down_time = '10' is invalid: expected a number of seconds greater than report_interval (10 s)")]
    [InlineData("[DEFAULT]\nreport_interval = 30\nservice_down_time = 20\n", 3, "service_down_time = '20' is invalid: expected a number of seconds greater than report_interval (30 s)")]
    [InlineData("[DEFAULT]\nservice_down_time = 2\n", 2, "service_down_time = '2' is invalid: expected a number of seconds greater than report_interval (2 s)")]
    [InlineData("[DEFAULT]\nreport_interval = 10\n", 2, "report_interval = '10' is invalid: expected a number of seconds smaller than service_down_time (10 s)")]
    public void Load_ServiceDownTimeNotAboveReportInterval_IsRefusedNamingTheOptionSet(string text, int line, string expected)
    {
        var (message, path) = TempConfigFile.LoadFails(text);

        message.ShouldBe($"{path}:{line}: [DEFAULT] {expected}");
    }

    [Fact]
    public void WithLogFormat_OverridesOnlyTheLogFormat()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nhost = n1\nlog_format = text\nready_requires_backend = false\nquota_volumes = 3\nenabled_backends = fast\n[fast]\nvolume_driver = fault\n");

        var json = configuration.WithLogFormat(KilnLogFormat.Json);

        json.Quotas.Volumes.ShouldBe(3);

        json.LogFormat.ShouldBe(KilnLogFormat.Json);
        configuration.LogFormat.ShouldBe(KilnLogFormat.Text);
        json.Host.ShouldBe("n1");
        json.ReadyRequiresBackend.ShouldBeFalse();
        json.Backends.ShouldBeSameAs(configuration.Backends);
        json.SourcePath.ShouldBe(configuration.SourcePath);
    }
}
