using Kiln.Core.Drivers;
using Kiln.Server.Backends;

namespace Kiln.Server.Tests.Configuration;

/// <summary>
/// Which sections of kiln.conf an upstream Cinder driver reads besides its own (CinderSharedSections), what Kiln
/// warns about then, and how a change in them counts on reload (SectionChanges).
/// </summary>
public sealed class CinderSharedSectionsTests
{
    private const string File = """
        [DEFAULT]
        host = node-1
        enabled_backends = lvm, fast, nfs
        my_ip = 192.0.2.10
        reinit_backoff_initial = 5
        driver_host_python = /usr/bin/python3
        [database]
        connection = sqlite:///kiln.db
        max_pool_size = 5
        [Backend_Defaults]
        volume_group = shared-vg
        [oslo_concurrency]
        lock_path = /var/lock/kiln
        [lvm]
        volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver
        [nfs]
        volume_driver = cinder.volume.drivers.nfs.NfsDriver
        [fast]
        volume_driver = fault
        [slow]
        volume_driver = fault
        """;

    [Fact]
    public void Load_UpstreamCinderBackend_GetsDefaultBackendDefaultsAndLibrarySectionsButNothingOfKilns()
    {
        var configuration = TempConfigFile.Load(File);

        var lvm = configuration.Backends.Single(b => b.Name == "lvm").SharedSections;
        lvm.Keys.Order(StringComparer.Ordinal).ShouldBe(["DEFAULT", "backend_defaults", "oslo_concurrency"]);
        lvm["DEFAULT"].ShouldBe(new Dictionary<string, string> { ["my_ip"] = "192.0.2.10" });
        lvm["backend_defaults"]["volume_group"].ShouldBe("shared-vg");
        lvm["oslo_concurrency"]["lock_path"].ShouldBe("/var/lock/kiln");
        configuration.Backends.Single(b => b.Name == "nfs").SharedSections.Keys.Count().ShouldBe(3);
        configuration.Backends.Single(b => b.Name == "fast").SharedSections.ShouldBeEmpty();
    }

    [Fact]
    public void Load_UpstreamCinderBackend_WarnsOnlyAboutKilnsSectionsAndSectionsThatLookLikeBackends()
    {
        var configuration = TempConfigFile.Load(File);

        configuration.Warnings.Count.ShouldBe(2, string.Join("\n", configuration.Warnings));
        configuration.Warnings.ShouldContain(w => w.EndsWith("[database] max_pool_size is not a known option and is ignored", StringComparison.Ordinal));
        configuration.Warnings.ShouldContain(w => w.EndsWith("section [slow] is not in enabled_backends and is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoUpstreamCinderBackend_DefaultAndBackendDefaultsAreIgnoredAndSaySo()
    {
        var configuration = TempConfigFile.Load(File.Replace("lvm, fast, nfs", "fast", StringComparison.Ordinal));

        configuration.Warnings.ShouldContain(w => w.EndsWith("[DEFAULT] my_ip is not a known option and is ignored", StringComparison.Ordinal));
        configuration.Warnings.ShouldContain(w => w.EndsWith("section [Backend_Defaults] is not in enabled_backends and is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Between_SharedSectionChanged_NamesTheSectionAndOptionAfterTheSectionsOwn()
    {
        var before = Section(("volume_group", "vg"), "shared-vg");
        var after = Section(("volume_group", "vg2"), "other-vg");

        SectionChanges.Between(before, after).ShouldBe(["volume_group", "[backend_defaults] volume_group"]);
        SectionChanges.Between(before, Section(("volume_group", "vg"), "shared-vg")).ShouldBeEmpty();
        SectionChanges.Between(before, new BackendSection("lvm", new Dictionary<string, string> { ["volume_group"] = "vg" })).ShouldBe(["[backend_defaults] volume_group"]);
    }

    private static BackendSection Section((string Key, string Value) own, string shared) =>
        new("lvm", new Dictionary<string, string> { [own.Key] = own.Value })
        {
            SharedSections = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["backend_defaults"] = new Dictionary<string, string> { ["volume_group"] = shared },
            },
        };
}
