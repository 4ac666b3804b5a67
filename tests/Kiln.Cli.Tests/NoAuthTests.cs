namespace Kiln.Cli.Tests;

/// <summary>Without OS_AUTH_URL the client stays noauth as before; the extensions header is sent either way.</summary>
public sealed class NoAuthTests
{
    [Fact]
    public async Task VolumeList_NoAuthUrl_SendsNoTokenToTheProjectGivenAndAsksForExtensions()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["KILN_URL"] = cloud.Url.ToString(),
            ["KILN_PROJECT"] = "tenant-1",
            // Credentials without OS_AUTH_URL do not turn Keystone on.
            ["OS_USERNAME"] = FakeOpenStack.Username,
            ["OS_PASSWORD"] = FakeOpenStack.Password,
        };

        var volumes = (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe(":tenant-1");
        cloud.KeystoneRequests.ShouldBeEmpty();
        var request = cloud.KilnRequests.ShouldHaveSingleItem();
        request.Header("X-Auth-Token").ShouldBeNull();
        request.Header("X-Kiln-Extensions").ShouldBe("true");
    }

    [Fact]
    public async Task VolumeList_AuthTypeNone_IgnoresKeystoneAndUsesOsEndpoint()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = OpenRc.Password(cloud).With("OS_AUTH_TYPE", "none").With("OS_ENDPOINT", new Uri(cloud.Url, "explicit/v3/p-9").ToString());

        var volumes = (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe("explicit:p-9");
        cloud.KeystoneRequests.ShouldBeEmpty();
        cloud.KilnRequests.ShouldHaveSingleItem().Header("X-Auth-Token").ShouldBeNull();
    }

    [Fact]
    public async Task KilnUrl_ProjectEndpointForm_IsUsedAsItIs()
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        var volumes = (await FakeOpenStack.RunAsync(new Dictionary<string, string> { ["KILN_URL"] = new Uri(cloud.Url, "explicit/v3/p-5").ToString() }, "volume", "list", "-o", "json"))
            .ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe("explicit:p-5");
    }

    [Fact]
    public async Task ProjectOption_ContradictsTheProjectInTheUrl_ExitsUsage()
    {
        var result = await KilnCli.RunAsync(["volume", "list", "--url", "http://127.0.0.1:8776/v3/p-5", "--project", "p-6"]);

        result.ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("--project 'p-6' contradicts --url, which names project 'p-5'");
    }
}
