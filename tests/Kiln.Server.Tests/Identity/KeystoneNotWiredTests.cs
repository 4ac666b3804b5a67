using Kiln.Server.Configuration;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Configuration;

namespace Kiln.Server.Tests.Identity;

/// <summary>Until the Keystone authenticator is wired, keystone must not start Kiln with the noauth one.</summary>
public sealed class KeystoneNotWiredTests
{
    [Fact]
    public void Build_KeystoneStrategy_RefusesToStartRatherThanServeEveryoneAsAdmin()
    {
        var configuration = TempConfigFile.Load("""
            [DEFAULT]
            auth_strategy = keystone
            [keystone_authtoken]
            www_authenticate_uri = http://keystone.example:5000
            auth_url = http://keystone.example:5000
            username = kiln
            password = secret
            project_name = service
            """);

        var exception = Should.Throw<KilnConfigurationException>(() => KilnApp.Build(configuration));

        exception.Message.ShouldEndWith(
            "[DEFAULT] auth_strategy = keystone is validated but not yet served by this build; Kiln refuses to start rather than let every caller act as admin");
    }
}
