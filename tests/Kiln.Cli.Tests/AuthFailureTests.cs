using System.Net;
using System.Net.Sockets;

namespace Kiln.Cli.Tests;

/// <summary>Authentication and authorization failures: one line a user understands, exit 8 (or 2 or 5), never a secret.</summary>
public sealed class AuthFailureTests
{
    [Fact]
    public async Task VolumeList_WrongPassword_ExitsNotAuthorizedNamingTheVariablesButNotThePassword()
    {
        const string wrong = "Wr0ng-Secret-Value";
        await using var cloud = await FakeOpenStack.StartAsync();

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud).With("OS_PASSWORD", wrong), "volume", "list");

        var error = result.ShouldFailWithOneLine(ExitCodes.NotAuthorized);
        error.ShouldStartWith("kiln: Keystone refused the credentials: The request you have made requires authentication.");
        error.ShouldContain("password of user 'demo' in domain 'Default' for project 'demo' in domain 'Default'");
        error.ShouldContain("from OS_AUTH_URL");
        error.ShouldContain("OS_USERNAME");
        error.ShouldContain("OS_PASSWORD");
        (result.Stdout + result.Stderr).ShouldNotContain(wrong);
        cloud.KilnRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task VolumeList_KeystoneNotListening_ExitsUnreachableNamingKeystone()
    {
        var authUrl = $"http://127.0.0.1:{ClosedPort()}/v3";
        var environment = new Dictionary<string, string> { ["OS_AUTH_URL"] = authUrl, ["OS_USERNAME"] = "demo", ["OS_PASSWORD"] = "pw", ["OS_PROJECT_NAME"] = "demo" };

        var result = await KilnCli.RunAsync(["volume", "list"], environment);

        var error = result.ShouldFailWithOneLine(ExitCodes.Unreachable);
        error.ShouldStartWith($"kiln: cannot reach Keystone at {authUrl} (OS_AUTH_URL): ");
        error.ShouldContain("refused");
    }

    [Fact]
    public async Task VolumeList_NoauthAgainstAProtectedKiln_ExitsNotAuthorizedNamingItsKeystone()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnRequiresToken = true;

        var result = await FakeOpenStack.RunAsync(new Dictionary<string, string> { ["KILN_URL"] = cloud.Url.ToString() }, "volume", "list");

        var error = result.ShouldFailWithOneLine(ExitCodes.NotAuthorized);
        error.ShouldContain($"Kiln at {cloud.Url} requires a Keystone token (its Keystone is {cloud.Url.ToString().TrimEnd('/')})");
        error.ShouldContain("set OS_AUTH_URL and the credentials");
    }

    [Fact]
    public async Task VolumeList_KilnRefusesTheToken_ExitsNotAuthorizedSayingWhichToken()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnRequiresToken = true;
        var environment = new Dictionary<string, string> { ["OS_TOKEN"] = "expired-token-5e1d", ["OS_ENDPOINT"] = new Uri(cloud.Url, "v3/p-1").ToString() };

        var result = await FakeOpenStack.RunAsync(environment, "volume", "list");

        var error = result.ShouldFailWithOneLine(ExitCodes.NotAuthorized);
        error.ShouldContain("refused the token in OS_TOKEN: The request you have made requires authentication.");
        error.ShouldNotContain("expired-token-5e1d");
    }

    [Fact]
    public async Task ServiceList_PolicyForbids_ExitsNotAuthorizedWithTheServersMessage()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.PolicyForbidsServices = true;

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "service", "list");

        result.ShouldFailWithOneLine(ExitCodes.NotAuthorized)
            .ShouldBe("kiln: not allowed by policy: Policy doesn't allow volume_extension:services:index to be performed.");
    }

    [Theory]
    [InlineData("OS_AUTH_URL=http://keystone:5000/v3", "OS_AUTH_URL is set but neither OS_USERNAME, OS_USER_ID nor OS_TOKEN")]
    [InlineData("OS_AUTH_URL=http://keystone:5000/v3 OS_USERNAME=demo", "password authentication of user 'demo' needs a password (kiln does not prompt for it): set OS_PASSWORD")]
    [InlineData("OS_AUTH_TYPE=password OS_USERNAME=demo OS_PASSWORD=pw", "OS_AUTH_TYPE=password needs Keystone's address: set OS_AUTH_URL")]
    [InlineData("OS_AUTH_TYPE=token OS_AUTH_URL=http://keystone:5000", "OS_AUTH_TYPE=token needs the token to exchange: set OS_TOKEN")]
    [InlineData("OS_AUTH_TYPE=v3oidcpassword", "OS_AUTH_TYPE 'v3oidcpassword' is not supported by kiln")]
    [InlineData("OS_AUTH_URL=ftp://keystone OS_TOKEN=t", "OS_AUTH_URL 'ftp://keystone' is not an http:// or https:// URL")]
    [InlineData("OS_AUTH_URL=http://keystone OS_TOKEN=t OS_INTERFACE=external", "OS_INTERFACE 'external' is not an interface: use public, internal or admin")]
    public async Task AnyCommand_UnusableOsVariables_ExitsUsageSayingWhatToSet(string variables, string message)
    {
        var environment = variables.Split(' ').Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1]);

        var result = await KilnCli.RunAsync(["volume", "list"], environment);

        result.ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain(message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
