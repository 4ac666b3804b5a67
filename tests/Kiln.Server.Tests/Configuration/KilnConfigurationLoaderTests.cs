using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class KilnConfigurationLoaderTests
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = TempConfigFile.NoEnvironment;

    [Fact]
    public void Load_NoPath_UsesEmbeddedFileBackend()
    {
        var configuration = KilnConfigurationLoader.Load(null, NoEnvironment);

        configuration.SourcePath.ShouldBeNull();
        configuration.EnabledBackends.ShouldBe(["file"]);
        var backend = configuration.Backends.ShouldHaveSingleItem();
        backend.Name.ShouldBe("file");
        backend.GetString("volume_driver").ShouldBe("file");
        backend.GetString("volume_backend_name").ShouldBe("file");
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_NoPathWithEnvironment_AppliesOverridesToEmbeddedDefaults()
    {
        var configuration = KilnConfigurationLoader.Load(null, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__osapi_volume_listen_port"] = "0",
            ["KILN__file__file_volume_format"] = "qcow2",
        });

        configuration.ListenPort.ShouldBe(0);
        configuration.Backends.ShouldHaveSingleItem().GetString("file_volume_format").ShouldBe("qcow2");
    }

    [Fact]
    public void Load_NoPathWithBadEnvironmentValue_NamesTheVariable()
    {
        var exception = Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(null, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__report_interval"] = "soon",
        }));

        exception.Message.ShouldStartWith("environment variable KILN__DEFAULT__report_interval: [DEFAULT] report_interval = 'soon' is invalid:");
    }

    [Fact]
    public void Load_EmptyFile_UsesDocumentedDefaults()
    {
        using var file = new TempConfigFile(string.Empty);

        var configuration = KilnConfigurationLoader.Load(file.Path, NoEnvironment);

        configuration.Host.ShouldBe(Environment.MachineName);
        configuration.StatePath.ShouldBe(Path.Combine(Environment.CurrentDirectory, "kiln-data"));
        configuration.ListenAddress.ShouldBe("127.0.0.1");
        configuration.ListenPort.ShouldBe(8776);
        configuration.ReportInterval.ShouldBe(TimeSpan.FromSeconds(2));
        configuration.ServiceDownTime.ShouldBe(TimeSpan.FromSeconds(10));
        configuration.StorageAvailabilityZone.ShouldBe("nova");
        configuration.DatabaseConnection.ShouldBeNull();
        configuration.TransportUrl.ShouldBeNull();
        configuration.DefaultVolumeType.ShouldBeNull();
        configuration.Debug.ShouldBeFalse();
        configuration.LogFormat.ShouldBe(KilnLogFormat.Text);
        configuration.ReadyRequiresBackend.ShouldBeTrue();
        configuration.EnabledBackends.ShouldBeEmpty();
        configuration.Backends.ShouldBeEmpty();
        configuration.Warnings.ShouldBeEmpty();
        configuration.SourcePath.ShouldBe(file.Path);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingThePath()
    {
        using var file = new TempConfigFile(string.Empty);
        var missing = Path.Combine(file.DirectoryPath, "absent.conf");

        var exception = Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(missing, NoEnvironment));

        exception.Message.ShouldStartWith($"{missing}: cannot read the configuration file:");
        exception.InnerException.ShouldBeOfType<FileNotFoundException>();
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsNamingThePath()
    {
        using var file = new TempConfigFile(string.Empty);
        var missing = Path.Combine(file.DirectoryPath, "nowhere", "kiln.conf");

        var exception = Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(missing, NoEnvironment));

        exception.Message.ShouldStartWith($"{missing}: cannot read the configuration file:");
    }

    [Fact]
    public void Load_PathIsADirectory_ThrowsNamingThePath()
    {
        using var file = new TempConfigFile(string.Empty);

        var exception = Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(file.DirectoryPath, NoEnvironment));

        exception.Message.ShouldBe($"{file.DirectoryPath}: is a directory, not a configuration file");
    }

    [Fact]
    public void Load_EmptyPath_Throws()
    {
        Should.Throw<KilnConfigurationException>(() => KilnConfigurationLoader.Load(" ", NoEnvironment))
            .Message.ShouldBe("the configuration file path is empty");
    }

    [Fact]
    public void Load_MalformedLine_NamesTheFullPathAndLine()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nhost = a\nnot an option\n");

        message.ShouldBe($"{path}:3: expected '[section]', 'option = value' or a comment: 'not an option'");
    }

    [Fact]
    public void ReadEnvironment_ProcessVariables_ReturnsOnlyKilnOnes()
    {
        var name = $"KILN__DEFAULT__test_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "42");
        try
        {
            var environment = KilnConfigurationLoader.ReadEnvironment();

            environment[name].ShouldBe("42");
            environment.Keys.ShouldAllBe(key => key.StartsWith("KILN__", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
