using System.Text.Json;

namespace Kiln.Cli.Tests;

/// <summary>Authentication with Keystone from the OS_* variables, as openstackclient does it, against a fake Keystone and Kiln.</summary>
public sealed class KeystoneAuthTests
{
    [Fact]
    public async Task VolumeList_PasswordVariables_PostsPasswordMethodScopedToTheProjectByName()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = OpenRc.Password(cloud).With("OS_USER_DOMAIN_NAME", "Users").With("OS_PROJECT_DOMAIN_NAME", "Projects");

        (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        var request = cloud.KeystoneRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/v3/auth/tokens");
        ShouldBeJson(request.Json(), $$$"""
            {"auth": {
              "identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Users"}, "password": "{{{FakeOpenStack.Password}}}" } } },
              "scope": {"project": {"name": "demo", "domain": {"name": "Projects"} } } } }
            """);
    }

    [Theory]
    [InlineData(null, "default")]
    [InlineData("d-42", "d-42")]
    public async Task VolumeList_NoDomainVariables_DefaultsBothDomainIdsAsOpenstackclient(string? defaultDomain, string expected)
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = OpenRc.Password(cloud).Without("OS_USER_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME");
        if (defaultDomain is not null)
        {
            environment["OS_DEFAULT_DOMAIN"] = defaultDomain;
        }

        (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        var auth = cloud.KeystoneRequests.ShouldHaveSingleItem().Json().GetProperty("auth");
        ShouldBeJson(auth.GetProperty("identity").GetProperty("password").GetProperty("user").GetProperty("domain"), $$$"""{"id": "{{{expected}}}"}""");
        ShouldBeJson(auth.GetProperty("scope").GetProperty("project").GetProperty("domain"), $$$"""{"id": "{{{expected}}}"}""");
    }

    [Fact]
    public async Task VolumeList_UserIdAndProjectId_SendsTheIdsWithoutDomains()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        var environment = OpenRc.Password(cloud).Without("OS_USERNAME", "OS_PROJECT_NAME")
            .With("OS_USER_ID", FakeOpenStack.UserId).With("OS_PROJECT_ID", FakeOpenStack.ProjectId);

        (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        var auth = cloud.KeystoneRequests.ShouldHaveSingleItem().Json().GetProperty("auth");
        ShouldBeJson(auth.GetProperty("identity").GetProperty("password").GetProperty("user"), $$$"""{"id": "{{{FakeOpenStack.UserId}}}", "password": "{{{FakeOpenStack.Password}}}"}""");
        ShouldBeJson(auth.GetProperty("scope"), $$$"""{"project": {"id": "{{{FakeOpenStack.ProjectId}}}"}}""");
    }

    [Fact]
    public async Task VolumeShow_PasswordAuth_AuthenticatesOnceAndSendsTokenAndExtensionsHeaderOnEveryRequest()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnRequiresToken = true;

        // A UUID the fake does not have: the show falls back to the name filter, two requests to Kiln.
        var volume = (await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "show", "5c0bd5f8-8bb0-4a39-9f2b-3f4b8e1f2a77", "-o", "json")).ShouldSucceedWithJson();

        volume.GetProperty("name").GetString().ShouldBe($":{FakeOpenStack.ProjectId}");
        cloud.KeystoneRequests.Count.ShouldBe(1);
        cloud.KilnRequests.Count.ShouldBe(2);
        cloud.KilnRequests.ShouldAllBe(r => r.Path.StartsWith($"/v3/{FakeOpenStack.ProjectId}/", StringComparison.Ordinal));
        cloud.KilnRequests.ShouldAllBe(r => r.Header("X-Auth-Token") == FakeOpenStack.IssuedToken);
        cloud.KilnRequests.ShouldAllBe(r => r.Header("X-Kiln-Extensions") == "true");
        cloud.KilnRequests.ShouldAllBe(r => r.Header("OpenStack-API-Version") == "volume 3.49");
    }

    [Theory]
    [InlineData("v3", "/v3/auth/tokens")]
    [InlineData("v3/", "/v3/auth/tokens")]
    [InlineData("", "/v3/auth/tokens")]
    [InlineData("identity", "/identity/v3/auth/tokens")]
    [InlineData("identity/v3", "/identity/v3/auth/tokens")]
    public async Task VolumeList_AuthUrlWithOrWithoutV3_PostsToTheV3TokensApi(string authPath, string tokensPath)
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        (await FakeOpenStack.RunAsync(OpenRc.Password(cloud, authPath), "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        cloud.KeystoneRequests.ShouldHaveSingleItem().Path.ShouldBe(tokensPath);
    }

    [Fact]
    public async Task VolumeList_TokenVariables_ExchangesTheTokenAndSendsTheNewOneToKiln()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnRequiresToken = true;
        var environment = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = new Uri(cloud.Url, "v3").ToString(),
            ["OS_TOKEN"] = FakeOpenStack.UserToken,
            ["OS_PROJECT_ID"] = FakeOpenStack.ProjectId,
        };

        (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        var request = cloud.KeystoneRequests.ShouldHaveSingleItem();
        ShouldBeJson(request.Json(), $$$"""
            {"auth": {"identity": {"methods": ["token"], "token": {"id": "{{{FakeOpenStack.UserToken}}}" } }, "scope": {"project": {"id": "{{{FakeOpenStack.ProjectId}}}" } } } }
            """);
        cloud.KilnRequests.ShouldHaveSingleItem().Header("X-Auth-Token").ShouldBe(FakeOpenStack.IssuedToken);
    }

    [Fact]
    public async Task VolumeList_TokenAndEndpoint_SendsTheTokenAsItIsWithoutAskingKeystone()
    {
        await using var cloud = await FakeOpenStack.StartAsync();
        cloud.KilnRequiresToken = true;
        var environment = new Dictionary<string, string>
        {
            ["OS_TOKEN"] = FakeOpenStack.UserToken,
            ["OS_ENDPOINT"] = new Uri(cloud.Url, "explicit/v3/p-77").ToString(),
        };

        var volumes = (await FakeOpenStack.RunAsync(environment, "volume", "list", "-o", "json")).ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe("explicit:p-77");
        cloud.KeystoneRequests.ShouldBeEmpty();
        cloud.KilnRequests.ShouldHaveSingleItem().Header("X-Auth-Token").ShouldBe(FakeOpenStack.UserToken);
    }

    [Fact]
    public async Task VolumeList_UrlOptionWithKeystone_WinsOverTheCatalogAndStillSendsTheToken()
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        var volumes = (await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "list", "--url", new Uri(cloud.Url, "explicit").ToString(), "-o", "json"))
            .ShouldSucceedWithJson();

        volumes[0].GetProperty("name").GetString().ShouldBe($"explicit:{FakeOpenStack.ProjectId}");
        cloud.KilnRequests.ShouldHaveSingleItem().Header("X-Auth-Token").ShouldBe(FakeOpenStack.IssuedToken);
    }

    [Fact]
    public async Task VolumeList_ProjectOptionWithKeystone_ExitsUsagePointingAtTheOsVariables()
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud), "volume", "list", "--project", "other");

        result.ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("with Keystone the project is the token's; set OS_PROJECT_NAME or OS_PROJECT_ID");
        cloud.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task VolumeList_NoProjectVariables_ExitsUsageAskingForAProject()
    {
        await using var cloud = await FakeOpenStack.StartAsync();

        var result = await FakeOpenStack.RunAsync(OpenRc.Password(cloud).Without("OS_PROJECT_NAME"), "volume", "list");

        result.ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("Keystone issued a token without a project");
        cloud.KilnRequests.ShouldBeEmpty();
    }

    private static void ShouldBeJson(JsonElement actual, string expected)
    {
        using var document = JsonDocument.Parse(expected);
        JsonElement.DeepEquals(actual, document.RootElement).ShouldBeTrue($"expected {expected}\nactual {actual.GetRawText()}");
    }
}
