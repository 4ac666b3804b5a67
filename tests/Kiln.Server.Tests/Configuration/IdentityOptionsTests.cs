using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class IdentityOptionsTests
{
    private const string Keystone = """
        [keystone_authtoken]
        www_authenticate_uri = http://keystone.example:5000
        auth_url = http://keystone.example:5000
        username = kiln
        password = secret
        project_name = service
        """;

    [Fact]
    public void Load_NothingSet_UsesNoAuthWithoutKeystoneOptions()
    {
        var configuration = TempConfigFile.Load(string.Empty);

        configuration.Identity.AuthStrategy.ShouldBe(AuthStrategy.NoAuth);
        configuration.Identity.Keystone.ShouldBeNull();
        configuration.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.10.200")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fe80::1")]
    public void Load_NoAuthOnRemoteAddress_StopsStartUpNamingAuthStrategyAndAllowNoauthRemote(string address)
    {
        var (message, path) = TempConfigFile.LoadFails($"[DEFAULT]\nauth_strategy = noauth\nosapi_volume_listen = {address}\n");

        message.ShouldBe(
            $"{path}:3: [DEFAULT] auth_strategy = noauth lets anyone who can reach the API act as admin, and osapi_volume_listen = '{address}' is not a loopback address; " +
            "set auth_strategy = keystone, listen on 127.0.0.1, or set allow_noauth_remote = true to accept the risk");
    }

    [Fact]
    public void Load_NoAuthDefaultOnRemoteAddress_IsRefusedToo()
    {
        var (message, _) = TempConfigFile.LoadFails("[DEFAULT]\nosapi_volume_listen = 0.0.0.0\nallow_noauth_remote = false\n");

        message.ShouldContain("auth_strategy = noauth lets anyone who can reach the API act as admin");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Load_NoAuthOnLoopback_StartsWithoutWarning(string address)
    {
        var configuration = TempConfigFile.Load($"[DEFAULT]\nosapi_volume_listen = {address}\n");

        configuration.Identity.AuthStrategy.ShouldBe(AuthStrategy.NoAuth);
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_NoAuthRemoteAllowed_StartsWithOneWarningLine()
    {
        using var file = new TempConfigFile("[DEFAULT]\nosapi_volume_listen = 0.0.0.0\nallow_noauth_remote = true\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.ListenAddress.ShouldBe("0.0.0.0");
        configuration.Warnings.ShouldBe(
            [$"{file.Path}:2: [DEFAULT] auth_strategy = noauth on osapi_volume_listen = '0.0.0.0': anyone who can reach the API acts as admin (allow_noauth_remote = true)"]);
    }

    [Fact]
    public void Load_RemoteAddressFromEnvironment_NamesTheVariable()
    {
        var (message, _) = TempConfigFile.LoadFails(string.Empty, new Dictionary<string, string> { ["KILN__DEFAULT__osapi_volume_listen"] = "0.0.0.0" });

        message.ShouldStartWith("environment variable KILN__DEFAULT__osapi_volume_listen: [DEFAULT] auth_strategy = noauth lets anyone");
    }

    [Fact]
    public void Load_KeystoneOnRemoteAddress_NeedsNoConsent()
    {
        var configuration = TempConfigFile.Load($"[DEFAULT]\nauth_strategy = Keystone\nosapi_volume_listen = 0.0.0.0\n{Keystone}\n");

        configuration.Identity.AuthStrategy.ShouldBe(AuthStrategy.Keystone);
        configuration.Identity.Keystone.ShouldNotBeNull();
        configuration.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_KeystoneSectionUnderNoAuth_WarnsThatItIsIgnored()
    {
        using var file = new TempConfigFile($"[DEFAULT]\nauth_strategy = noauth\n{Keystone}\n");

        var configuration = KilnConfigurationLoader.Load(file.Path, TempConfigFile.NoEnvironment);

        configuration.Identity.Keystone.ShouldBeNull();
        configuration.Warnings.ShouldBe([$"{file.Path}:3: section [keystone_authtoken] is ignored while auth_strategy = noauth"]);
    }

    [Fact]
    public void Load_BackendNamedLikeTheKeystoneSection_IsRefused()
    {
        var (message, path) = TempConfigFile.LoadFails("[DEFAULT]\nenabled_backends = Keystone_AuthToken\n");

        message.ShouldBe($"{path}:2: [DEFAULT] enabled_backends = 'Keystone_AuthToken' is invalid: 'Keystone_AuthToken' is a reserved section name and cannot be a backend");
    }

    [Fact]
    public void IdentityConfiguration_KeystoneOptionsWithoutKeystoneStrategy_IsRefused()
    {
        var options = new KeystoneOptions
        {
            AuthUrl = new Uri("http://keystone.example:5000"),
            WwwAuthenticateUri = "http://keystone.example:5000",
            Username = "kiln",
            Password = "secret",
            ProjectName = "service",
        };

        Should.Throw<ArgumentException>(() => new IdentityConfiguration(AuthStrategy.NoAuth, options));
        Should.Throw<ArgumentException>(() => new IdentityConfiguration(AuthStrategy.Keystone, null));
    }
}
