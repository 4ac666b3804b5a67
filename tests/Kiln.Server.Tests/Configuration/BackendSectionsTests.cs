using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Tests.Configuration;

public sealed class BackendSectionsTests
{
    [Fact]
    public void Load_LifecycleOptionsInDefault_AreInheritedAndOverriddenPerSection()
    {
        var configuration = TempConfigFile.Load(
            """
            [DEFAULT]
            enabled_backends = fast, slow
            reinit_driver_count = 7
            driver_init_timeout = 30
            host = node-1

            [fast]
            volume_driver = fault
            reinit_driver_count = 1

            [slow]
            volume_driver = file
            """);

        var fast = LifecycleOptions.Parse(configuration.Backends[0]);
        fast.ReinitDriverCount.ShouldBe(1);
        fast.DriverInitTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        var slow = LifecycleOptions.Parse(configuration.Backends[1]);
        slow.ReinitDriverCount.ShouldBe(7);
        slow.DriverInitTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        slow.StatsFailureThreshold.ShouldBe(3);
        configuration.Backends[1].GetString("volume_driver").ShouldBe("file");
    }

    [Fact]
    public void Load_NonLifecycleDefaultOptions_AreNotInherited()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nenabled_backends = fast\nhost = node-1\ndebug = true\n[fast]\nvolume_driver = fault\n");

        configuration.Backends.ShouldHaveSingleItem().Keys.ShouldBe(["volume_driver"]);
    }

    [Fact]
    public void Load_Backends_FollowEnabledBackendsOrderNotFileOrder()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nenabled_backends = slow, fast\n[fast]\nvolume_driver = a\n[slow]\nvolume_driver = b\n");

        configuration.Backends.Select(b => b.Name).ShouldBe(["slow", "fast"]);
        configuration.Backends.Select(b => b.GetString("volume_driver")).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void Load_SectionNameInOtherCase_BelongsToTheEnabledBackend()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nenabled_backends = Fast\n[FAST]\nvolume_driver = fault\n");

        var backend = configuration.Backends.ShouldHaveSingleItem();
        backend.Name.ShouldBe("Fast");
        backend.GetString("volume_driver").ShouldBe("fault");
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_EnabledBackendWithoutSection_YieldsSectionWithOnlyInheritedOptions()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nenabled_backends = fast, ghost\nreinit_driver_count = 9\n[fast]\nvolume_driver = fault\n");

        configuration.Backends.Count.ShouldBe(2);
        var ghost = configuration.Backends[1];
        ghost.Name.ShouldBe("ghost");
        ghost.GetString("volume_driver").ShouldBeNull();
        ghost.Keys.ShouldBe(["reinit_driver_count"]);
        configuration.Backends[0].GetString("volume_driver").ShouldBe("fault");
    }

    [Fact]
    public void Load_EnabledBackendWithoutSectionOrDefaults_YieldsEmptySection()
    {
        var configuration = TempConfigFile.Load("[DEFAULT]\nenabled_backends = ghost\n");

        configuration.Backends.ShouldHaveSingleItem().Keys.ShouldBeEmpty();
    }

    [Fact]
    public void Load_BadBackendOption_LoadsAndLeavesItToThatBackend()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\nenabled_backends = bad, good\n[bad]\nvolume_driver = fault\nreinit_driver_count = -5\n[good]\nvolume_driver = fault\n");

        configuration.Backends[0].GetString("reinit_driver_count").ShouldBe("-5");
        Should.Throw<DriverConfigurationException>(() => LifecycleOptions.Parse(configuration.Backends[0]))
            .Message.ShouldBe("[bad] reinit_driver_count = '-5' is invalid: expected an integer >= 0");
        LifecycleOptions.Parse(configuration.Backends[1]).ReinitDriverCount.ShouldBe(3);
    }

    [Fact]
    public void Load_DuplicateEnabledBackends_IsRefused()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nenabled_backends = fast,slow,fast\n");

        message.ShouldBe($"{path}:2: [DEFAULT] enabled_backends = 'fast,slow,fast' is invalid: backend 'fast' is listed more than once");
    }
}
