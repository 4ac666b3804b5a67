namespace Kiln.Server.Tests.Configuration;

public sealed class WarningsTests
{
    [Fact]
    public void Load_UnknownOptionsAndSections_WarnOnceEachAndStillLoad()
    {
        using var file = new TempConfigFile(
            """
            [DEFAULT]
            enabled_backends = fast
            volume_drvier = fault
            [database]
            connection = sqlite:///kiln.db
            max_pool_size = 5
            [fast]
            volume_driver = fault
            some_driver_option = x
            [orphan]
            volume_driver = fault
            """);

        var configuration = Kiln.Server.Configuration.KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Warnings.ShouldBe(
        [
            $"{file.Path}:3: [DEFAULT] volume_drvier is not a known option and is ignored",
            $"{file.Path}:6: [database] max_pool_size is not a known option and is ignored",
            $"{file.Path}:10: section [orphan] is not in enabled_backends and is ignored",
        ]);
        configuration.DatabaseConnection.ShouldBe("sqlite:///kiln.db");
        configuration.Backends.ShouldHaveSingleItem().Name.ShouldBe("fast");
    }

    [Fact]
    public void Load_EveryKnownGlobalOption_WarnsNothing()
    {
        var configuration = TempConfigFile.Load(
            """
            [DEFAULT]
            host = node-1
            state_path = /var/lib/kiln
            enabled_backends = fast
            osapi_volume_listen = 127.0.0.2
            osapi_volume_listen_port = 8776
            report_interval = 10
            service_down_time = 60
            storage_availability_zone = nova
            transport_url = rabbit://mq
            auth_strategy = noauth
            allow_noauth_remote = true
            default_volume_type = ssd
            debug = false
            log_format = json
            reinit_driver_count = 3
            backend_stats_polling_interval = 60
            reinit_backoff_initial = 10
            reinit_backoff_max = 60
            reinit_probe_interval = 2
            driver_init_timeout = 300
            stats_failure_threshold = 3
            [Database]
            connection = sqlite:///kiln.db
            [fast]
            volume_driver = fault
            """);

        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_SectionOfBackendNotEnabled_WarnsEvenWhenItLooksLikeABackend()
    {
        var (configuration, path) = LoadWithPath("[DEFAULT]\nenabled_backends = fast\n[fast]\nvolume_driver = a\n[slow]\nvolume_driver = b\n");

        configuration.Warnings.ShouldBe([$"{path}:5: section [slow] is not in enabled_backends and is ignored"]);
        configuration.Backends.Select(b => b.Name).ShouldBe(["fast"]);
    }

    private static (Kiln.Server.Configuration.KilnConfiguration Configuration, string Path) LoadWithPath(string text)
    {
        using var file = new TempConfigFile(text);
        return (Kiln.Server.Configuration.KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment), file.Path);
    }
}
