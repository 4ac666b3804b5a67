using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests.Iscsi;

public sealed class TgtSettingsTests
{
    [Fact]
    public void Parse_NoOptions_KilnDefaults()
    {
        var settings = Parse();

        settings.TargetPortal.ShouldBe("127.0.0.1:3260");
        settings.TargetPrefix.ShouldBe("iqn.2010-10.org.openstack:");
        settings.UseChapAuth.ShouldBeTrue();
        settings.ControlPort.ShouldBe(0);
        settings.TargetIqn("abc").ShouldBe("iqn.2010-10.org.openstack:volume-abc");
    }

    [Fact]
    public void Parse_AllOptions_Used()
    {
        var settings = Parse(
            (IscsiOptions.TargetIpAddress, "fd00::5"),
            (IscsiOptions.TargetPort, "3261"),
            (IscsiOptions.TargetPrefix, "iqn.2026-01.example.kiln:"),
            (IscsiOptions.UseChapAuth, "no"),
            (IscsiOptions.TgtControlPort, "7"));

        settings.TargetPortal.ShouldBe("[fd00::5]:3261");
        settings.TargetIqn("v").ShouldBe("iqn.2026-01.example.kiln:volume-v");
        settings.UseChapAuth.ShouldBeFalse();
        settings.ControlPort.ShouldBe(7);
    }

    [Theory]
    [InlineData(IscsiOptions.TargetIpAddress, "storage.example")]
    [InlineData(IscsiOptions.TargetIpAddress, "0.0.0.0")]
    [InlineData(IscsiOptions.TargetPort, "0")]
    [InlineData(IscsiOptions.TargetPort, "65536")]
    [InlineData(IscsiOptions.TargetPort, "iscsi")]
    [InlineData(IscsiOptions.TargetPrefix, "")]
    [InlineData(IscsiOptions.TargetPrefix, "eui.02004567A425678D")]
    [InlineData(IscsiOptions.TargetPrefix, "iqn.2010-10.Org.OpenStack:")]
    [InlineData(IscsiOptions.TargetPrefix, "iqn.2010-10.org openstack:")]
    [InlineData(IscsiOptions.UseChapAuth, "maybe")]
    [InlineData(IscsiOptions.TgtControlPort, "-1")]
    [InlineData(IscsiOptions.TgtControlPort, "32768")]
    public void Create_BadOptionValue_ConfigurationErrorNamingTheOption(string option, string value)
    {
        var context = IscsiTestBed.Context(new Dictionary<string, string> { [option] = value });

        var ex = Should.Throw<DriverConfigurationException>(() => TgtExporter.Create(context, "/tmp"));

        ex.Message.ShouldContain($"[files] {option} = '{value}' is invalid");
    }

    private static TgtSettings Parse(params (string Option, string Value)[] options) =>
        TgtSettings.Parse(IscsiTestBed.Context(options.ToDictionary(o => o.Option, o => o.Value)).Options);
}
