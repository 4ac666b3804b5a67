using Kiln.Core.Lifecycle;
using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class EnvironmentOverridesTests
{
    [Fact]
    public void Load_EnvironmentVariable_OverridesFileValue()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\nosapi_volume_listen_port = 9000\nhost = from-file\n",
            new Dictionary<string, string> { ["KILN__DEFAULT__osapi_volume_listen_port"] = "9100" });

        configuration.ListenPort.ShouldBe(9100);
        configuration.Host.ShouldBe("from-file");
    }

    [Fact]
    public void Load_EnvironmentVariable_AddsOptionAndSection()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\nenabled_backends = fast\n",
            new Dictionary<string, string>
            {
                ["KILN__fast__volume_driver"] = "fault",
                ["KILN__database__connection"] = "sqlite:///env.db",
            });

        configuration.Backends.ShouldHaveSingleItem().GetString("volume_driver").ShouldBe("fault");
        configuration.DatabaseConnection.ShouldBe("sqlite:///env.db");
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_EnvironmentSectionAndOptionInOtherCase_OverrideTheSameOption()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\nenabled_backends = fast\nhost = from-file\n[fast]\nvolume_driver = file\n",
            new Dictionary<string, string>
            {
                ["KILN__default__HOST"] = "from-env",
                ["KILN__FAST__Volume_Driver"] = "fault",
            });

        configuration.Host.ShouldBe("from-env");
        configuration.Backends.ShouldHaveSingleItem().GetString("volume_driver").ShouldBe("fault");
    }

    [Fact]
    public void Load_EnvironmentLifecycleDefault_IsInheritedByBackends()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\nenabled_backends = fast\nreinit_driver_count = 2\n[fast]\nvolume_driver = fault\n",
            new Dictionary<string, string> { ["KILN__DEFAULT__reinit_driver_count"] = "5" });

        LifecycleOptions.Parse(configuration.Backends.ShouldHaveSingleItem()).ReinitDriverCount.ShouldBe(5);
    }

    [Fact]
    public void Load_EnvironmentValue_IsTrimmedLikeAFileValue()
    {
        var configuration = TempConfigFile.Load(string.Empty, new Dictionary<string, string> { ["KILN__DEFAULT__osapi_volume_listen_port"] = " 0 " });

        configuration.ListenPort.ShouldBe(0);
    }

    [Fact]
    public void Load_EmptyEnvironmentValue_ClearsOptionalFileValue()
    {
        var configuration = TempConfigFile.Load(
            "[DEFAULT]\ntransport_url = rabbit://mq\n",
            new Dictionary<string, string> { ["KILN__DEFAULT__transport_url"] = string.Empty });

        configuration.TransportUrl.ShouldBeNull();
    }

    [Theory]
    [InlineData("KILN__DEFAULT__reinit_driver_count", "reinit_driver_count", "-1", "expected an integer >= 0")]
    [InlineData("KILN__DEFAULT__osapi_volume_listen_port", "osapi_volume_listen_port", "http", "expected an integer between 0 and 65535 (0 means any free port)")]
    [InlineData("KILN__default__Report_Interval", "Report_Interval", "0", "expected a number of seconds greater than 0 (between 0.001 and 86400)")]
    public void Load_InvalidEnvironmentValue_IsReportedLikeAFileValueNamingTheVariable(string variable, string option, string value, string expected)
    {
        var (message, _) = TempConfigFile.LoadFails(
            "[DEFAULT]\nreinit_driver_count = 3\nosapi_volume_listen_port = 8776\nreport_interval = 5\n",
            new Dictionary<string, string> { [variable] = value });

        message.ShouldBe($"environment variable {variable}: [DEFAULT] {option} = '{value}' is invalid: {expected}");
    }

    [Fact]
    public void Load_UnknownOptionFromEnvironment_WarnsNamingTheVariable()
    {
        var configuration = TempConfigFile.Load(
            string.Empty,
            new Dictionary<string, string>
            {
                ["KILN__DEFAULT__volume_drvier"] = "fault",
                ["KILN__orphan__volume_driver"] = "fault",
            });

        configuration.Warnings.ShouldBe(
        [
            "environment variable KILN__DEFAULT__volume_drvier: [DEFAULT] volume_drvier is not a known option and is ignored",
            "environment variable KILN__orphan__volume_driver: section [orphan] is not in enabled_backends and is ignored",
        ]);
    }

    [Theory]
    [InlineData("KILN__host")]
    [InlineData("KILN__DEFAULT__")]
    [InlineData("KILN____host")]
    [InlineData("KILN__DEFAULT__host__extra")]
    public void Load_MalformedKilnVariableName_WarnsAndIsIgnored(string variable)
    {
        var configuration = TempConfigFile.Load(string.Empty, new Dictionary<string, string> { [variable] = "x" });

        configuration.Warnings.ShouldBe([$"environment variable {variable} is ignored: expected KILN__<section>__<option>"]);
        configuration.Host.ShouldBe(Environment.MachineName);
    }

    [Fact]
    public void Load_OtherEnvironmentVariables_AreIgnored()
    {
        var configuration = TempConfigFile.Load(
            string.Empty,
            new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin",
                ["kiln__DEFAULT__host"] = "lowercase-prefix",
                ["KILN_DEFAULT_host"] = "single-underscores",
            });

        configuration.Host.ShouldBe(Environment.MachineName);
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_TwoVariablesForOneOption_IsRefused()
    {
        var (message, _) = TempConfigFile.LoadFails(
            string.Empty,
            new Dictionary<string, string>
            {
                ["KILN__default__host"] = "b",
                ["KILN__DEFAULT__host"] = "a",
            });

        message.ShouldBe("environment variables KILN__DEFAULT__host and KILN__default__host both set [default] host; set only one");
    }
}
